//! The deterministic demo data behind `Platform::seeded`.

use crate::model::{
    iso_time, uuid_from_counter, AuditLog, Database, Group, Location, Org, Plan, LATEST_VERSION,
    TOKEN_USER,
};
use crate::Platform;
use serde_json::json;

/// Today's locations (platform `aws`), as `GET /v1/locations` lists them since 2026-02.
/// When the seeded history starts (2026-01-05T09:00:00Z): one change an hour after it.
const HISTORY_START: u64 = 1_767_603_600;

const AWS_LOCATIONS: [(&str, &str); 12] = [
    ("aws-ap-northeast-1", "AWS AP NorthEast (Tokyo)"),
    ("aws-ap-south-1", "AWS AP South (Mumbai)"),
    ("aws-ap-southeast-1", "AWS AP SouthEast (Singapore)"),
    ("aws-ap-southeast-2", "AWS AP SouthEast (Sydney)"),
    ("aws-ca-central-1", "AWS CA Central (Montreal)"),
    ("aws-eu-central-1", "AWS EU Central (Frankfurt)"),
    ("aws-eu-west-1", "AWS EU West (Ireland)"),
    ("aws-eu-west-2", "AWS EU West (London)"),
    ("aws-sa-east-1", "AWS SA East (São Paulo)"),
    ("aws-us-east-1", "AWS US East (Virginia)"),
    ("aws-us-east-2", "AWS US East (Ohio)"),
    ("aws-us-west-2", "AWS US West (Oregon)"),
];

/// The Fly.io-era locations (platform `fly`): the three-letter codes of the spec's examples,
/// TS's `LocationKeys` and the OAS `listLocations` example before 2026-02, with the display
/// names that example printed.
const FLY_LOCATIONS: [(&str, &str); 31] = [
    ("ams", "Amsterdam, Netherlands"),
    ("arn", "Stockholm, Sweden"),
    ("bog", "Bogotá, Colombia"),
    ("bos", "Boston, Massachusetts (US)"),
    ("cdg", "Paris, France"),
    ("den", "Denver, Colorado (US)"),
    ("dfw", "Dallas, Texas (US)"),
    ("ewr", "Secaucus, NJ (US)"),
    ("fra", "Frankfurt, Germany"),
    ("gdl", "Guadalajara, Mexico"),
    ("gig", "Rio de Janeiro, Brazil"),
    ("gru", "São Paulo, Brazil"),
    ("hkg", "Hong Kong, Hong Kong"),
    ("iad", "Ashburn, Virginia (US)"),
    ("jnb", "Johannesburg, South Africa"),
    ("lax", "Los Angeles, California (US)"),
    ("lhr", "London, United Kingdom"),
    ("mad", "Madrid, Spain"),
    ("mia", "Miami, Florida (US)"),
    ("nrt", "Tokyo, Japan"),
    ("ord", "Chicago, Illinois (US)"),
    ("otp", "Bucharest, Romania"),
    ("qro", "Querétaro, Mexico"),
    ("scl", "Santiago, Chile"),
    ("sea", "Seattle, Washington (US)"),
    ("sin", "Singapore, Singapore"),
    ("sjc", "San Jose, California (US)"),
    ("syd", "Sydney, Australia"),
    ("waw", "Warsaw, Poland"),
    ("yul", "Montreal, Canada"),
    ("yyz", "Toronto, Canada"),
];

/// Which organizations see which platforms: older organizations (`acme`, `jane`) kept the
/// Fly-era codes beside the AWS ones; newer ones (`globex`, `initech`) only see AWS.
const OLD_ORG_PLATFORMS: &[&str] = &["aws", "fly"];
/// Also what `/v1/locations` and `/v2/locations` list when no organization is named.
pub(crate) const DEFAULT_PLATFORMS: &[&str] = &["aws"];

/// Group limits by plan. Starter allows one group (DOCS `groups/create.mdx`).
pub(crate) const STARTER_GROUP_LIMIT: usize = 1;
pub(crate) const SCALER_GROUP_LIMIT: usize = 100;

/// How a seeded group differs from a freshly created one.
struct GroupSeed<'a> {
    name: &'a str,
    locations: &'a [&'a str],
    version: &'a str,
    archived: bool,
    delete_protection: bool,
    databases: &'a [&'a str],
}

impl<'a> GroupSeed<'a> {
    fn new(name: &'a str, locations: &'a [&'a str], databases: &'a [&'a str]) -> Self {
        GroupSeed {
            name,
            locations,
            version: LATEST_VERSION,
            archived: false,
            delete_protection: false,
            databases,
        }
    }
}

fn platform_locations(
    platform: &'static str,
    list: &'static [(&'static str, &'static str)],
) -> impl Iterator<Item = Location> {
    list.iter().map(move |&(code, name)| Location {
        platform,
        code,
        name,
    })
}

impl Platform {
    /// The demo platform. `token` is the only accepted Platform API token; `extra_groups`
    /// adds `tenant-00001`… to `acme` (for large-table work) and raises its limit to match.
    pub fn seeded(token: &str, extra_groups: usize) -> Platform {
        let mut platform = Platform {
            token: token.to_string(),
            locations: platform_locations("aws", &AWS_LOCATIONS)
                .chain(platform_locations("fly", &FLY_LOCATIONS))
                .collect(),
            orgs: Vec::new(),
            next_id: 0,
        };

        let acme = platform.seed_org("Acme Corp", "acme", "team", Plan::Scaler);
        platform.orgs[acme].group_limit = SCALER_GROUP_LIMIT + extra_groups;
        platform.orgs[acme].platforms = OLD_ORG_PLATFORMS;
        platform.seed_group(
            acme,
            GroupSeed::new("default", &["aws-us-east-1"], &["users", "orders"]),
        );
        platform.seed_group(
            acme,
            GroupSeed::new(
                "eu-replicated",
                &["aws-eu-west-1", "aws-eu-central-1", "aws-us-east-1"],
                &["catalog", "sessions"],
            ),
        );
        platform.seed_group(
            acme,
            GroupSeed {
                version: "v0.24.14",
                archived: true,
                ..GroupSeed::new("legacy", &["aws-us-west-2"], &["old-reports"])
            },
        );
        platform.seed_group(
            acme,
            GroupSeed {
                version: "v0.24.29",
                delete_protection: true,
                ..GroupSeed::new(
                    "billing",
                    &["aws-us-east-2"],
                    &["invoices", "payments", "ledger"],
                )
            },
        );
        for n in 1..=extra_groups {
            let name = format!("tenant-{n:05}");
            let location = AWS_LOCATIONS[(n - 1) % AWS_LOCATIONS.len()].0;
            platform.seed_group(acme, GroupSeed::new(&name, &[location], &[]));
        }

        let globex = platform.seed_org("Globex", "globex", "team", Plan::Scaler);
        platform.orgs[globex].replicas_disabled = true;
        platform.seed_group(
            globex,
            GroupSeed::new("default", &["aws-eu-west-2"], &["inventory"]),
        );
        platform.seed_group(
            globex,
            GroupSeed::new(
                "analytics",
                &["aws-ap-southeast-1", "aws-ap-southeast-2"],
                &[],
            ),
        );

        let jane = platform.seed_org("jane", "jane", "personal", Plan::Starter);
        platform.orgs[jane].platforms = OLD_ORG_PLATFORMS;
        platform.seed_group(
            jane,
            GroupSeed::new("default", &["aws-eu-central-1"], &["notes"]),
        );

        let initech = platform.seed_org("Initech", "initech", "team", Plan::Scaler);
        platform.orgs[initech].member = false;
        platform.seed_group(
            initech,
            GroupSeed::new("default", &["aws-us-east-1"], &["tps-reports"]),
        );

        platform
    }

    fn seed_org(&mut self, name: &str, slug: &str, kind: &'static str, plan: Plan) -> usize {
        self.orgs.push(Org {
            name: name.to_string(),
            slug: slug.to_string(),
            kind,
            plan,
            member: true,
            replicas_disabled: false,
            platforms: DEFAULT_PLATFORMS,
            group_limit: match plan {
                Plan::Starter => STARTER_GROUP_LIMIT,
                Plan::Scaler => SCALER_GROUP_LIMIT,
            },
            groups: Vec::new(),
            audit_logs: Vec::new(),
        });
        self.orgs.len() - 1
    }

    fn seed_group(&mut self, org: usize, seed: GroupSeed) {
        let mut group = self.new_group(seed.name, seed.locations[0]);
        group.locations = seed.locations.iter().map(|l| l.to_string()).collect();
        group.version = seed.version.to_string();
        group.archived = seed.archived;
        group.delete_protection = seed.delete_protection;
        for name in seed.databases {
            let db = self.new_database(name);
            group.databases.push(db);
        }
        // A history for the audit log: each group was created, from the CLI and the web in
        // turn, and protected ones were protected after.
        let data = json!({ "group": seed.name, "location": seed.locations[0] });
        self.seed_history(
            org,
            "group-create",
            format!("created group {}", seed.name),
            data,
        );
        if seed.delete_protection {
            let data = json!({ "group": seed.name, "delete_protection": true });
            let message = format!("turned on delete protection of group {}", seed.name);
            self.seed_history(org, "group-protect", message, data);
        }
        self.orgs[org].groups.push(group);
    }

    fn seed_history(
        &mut self,
        org: usize,
        code: &'static str,
        message: String,
        data: serde_json::Value,
    ) {
        let log = &mut self.orgs[org].audit_logs;
        let hour = log.len() as u64;
        log.push(AuditLog {
            code,
            message,
            origin: if hour.is_multiple_of(2) { "cli" } else { "web" },
            author: TOKEN_USER.to_string(),
            created_at: iso_time(HISTORY_START + hour * 3600),
            data,
        });
    }

    /// A group as the create route makes it: one location, latest version, no databases.
    pub(crate) fn new_group(&mut self, name: &str, location: &str) -> Group {
        Group {
            name: name.to_string(),
            uuid: uuid_from_counter(self.take_id()),
            version: LATEST_VERSION.to_string(),
            primary: location.to_string(),
            locations: vec![location.to_string()],
            archived: false,
            delete_protection: false,
            key_generation: 0,
            databases: Vec::new(),
        }
    }

    fn new_database(&mut self, name: &str) -> Database {
        let seq = self.take_id();
        Database {
            name: name.to_string(),
            id: uuid_from_counter(seq),
            seq,
        }
    }

    fn take_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }
}
