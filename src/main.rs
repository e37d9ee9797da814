fn main() {
    groups_console::crash::install_panic_screen();
    leptos::mount::mount_to_body(groups_console::App);
}
