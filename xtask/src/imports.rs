//! Short names for the functions a wasm module imports from its wasm-bindgen JavaScript.
//!
//! wasm-bindgen names each import `__wbg_<name>_<16 hex digits>`, and the name appears twice:
//! in the wasm's import section and as a key of the JS object that provides it. The hashes
//! compress to nothing: for the panel's 170 imports they were 4,236 bytes of the first load
//! after brotli (wasm 2,440, JS 1,796). No tool on the stack renames them: wasm-bindgen has
//! no option for it, and wasm-opt's `--minify-imports` leaves the module names wasm-bindgen
//! uses alone (its `…-and-modules` form would rename the exports too, which the JS reaches by
//! property name). So both files are rewritten here, with wasmparser and wasm-encoder for the
//! wasm, and the build stops if the JS does not hold each name exactly once.

use crate::ctx::Result;
use std::path::Path;
use wasm_encoder::{EntityType, ImportSection, Module, RawSection};
use wasmparser::{Imports, Parser, Payload};

/// Renames the wasm-bindgen imports of `wasm` and their keys in `js`, in place; returns how
/// many were renamed.
pub fn shorten(wasm: &Path, js: &Path) -> Result<usize> {
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("reading {}: {e}", p.display()));
    let bytes = read(wasm)?;
    let text = String::from_utf8(read(js)?).map_err(|e| format!("{}: {e}", js.display()))?;
    let (bytes, text, renamed) = rename(&bytes, &text).map_err(|e| {
        format!(
            "shortening the imports of {} and {}: {e}",
            wasm.display(),
            js.display()
        )
    })?;
    let write = |p: &Path, b: &[u8]| {
        std::fs::write(p, b).map_err(|e| format!("writing {}: {e}", p.display()))
    };
    write(wasm, &bytes)?;
    write(js, text.as_bytes())?;
    Ok(renamed)
}

/// Whether wasm-bindgen made this import (its glue, never a snippet's own export).
fn is_bindgen(name: &str) -> bool {
    name.starts_with("__wbg_") || name.starts_with("__wbindgen_")
}

/// The `n`th short name: `w0`, `w1`, … `wa9`; never a wasm-bindgen name, so never one that
/// is still in the same import object.
fn short(n: usize) -> String {
    format!("w{n:x}")
}

/// The module with its wasm-bindgen imports renamed, the JS with the same keys renamed, and
/// how many there were. Every other section is copied byte for byte.
fn rename(wasm: &[u8], js: &str) -> std::result::Result<(Vec<u8>, String, usize), String> {
    let mut module = Module::new();
    let mut js = js.to_owned();
    let mut renamed = 0;
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(|e| e.to_string())?;
        let Payload::ImportSection(reader) = payload else {
            if let Some((id, range)) = payload.as_section() {
                module.section(&RawSection {
                    id,
                    data: &wasm[range],
                });
            }
            continue;
        };
        let mut section = ImportSection::new();
        for group in reader {
            let Imports::Single(_, import) = group.map_err(|e| e.to_string())? else {
                return Err("compact imports, which wasm-bindgen does not write".into());
            };
            let ty = EntityType::try_from(import.ty).map_err(|e| e.to_string())?;
            if !is_bindgen(import.name) {
                section.import(import.module, import.name, ty);
                continue;
            }
            let name = short(renamed);
            js = rename_key(&js, import.name, &name)?;
            section.import(import.module, &name, ty);
            renamed += 1;
        }
        module.section(&section);
    }
    Ok((module.finish(), js, renamed))
}

/// `js` with the one whole-word occurrence of `from` (the import object's key) made `to`.
fn rename_key(js: &str, from: &str, to: &str) -> std::result::Result<String, String> {
    let word =
        |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    let found: Vec<usize> = js
        .match_indices(from)
        .map(|(at, _)| at)
        .filter(|&at| {
            !word(js[..at].chars().next_back()) && !word(js[at + from.len()..].chars().next())
        })
        .collect();
    match found[..] {
        [at] => Ok(format!("{}{to}{}", &js[..at], &js[at + from.len()..])),
        _ => Err(format!(
            "the import {from} appears {} times in the JavaScript, not once: wasm-bindgen's \
             output has changed, so this step needs a look",
            found.len()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{CodeSection, ExportKind, ExportSection, Function, FunctionSection};
    use wasm_encoder::{Instruction, TypeSection};

    /// A module importing two wasm-bindgen functions and a snippet's, and exporting a
    /// function that calls the second import.
    fn module() -> Vec<u8> {
        let mut types = TypeSection::new();
        types.ty().function([], []);
        let mut imports = ImportSection::new();
        for name in [
            "__wbg_body_5f971cbc6950ca4f",
            "__wbindgen_throw_0123456789abcdef",
            "import_module",
        ] {
            imports.import("./app_bg.js", name, EntityType::Function(0));
        }
        let mut functions = FunctionSection::new();
        functions.function(0);
        let mut exports = ExportSection::new();
        exports.export("run", ExportKind::Func, 3);
        let mut code = CodeSection::new();
        let mut body = Function::new([]);
        body.instruction(&Instruction::Call(1));
        body.instruction(&Instruction::End);
        code.function(&body);
        let mut module = Module::new();
        module
            .section(&types)
            .section(&imports)
            .section(&functions)
            .section(&exports)
            .section(&code);
        module.finish()
    }

    fn import_names(wasm: &[u8]) -> Vec<String> {
        let mut names = Vec::new();
        for payload in Parser::new(0).parse_all(wasm) {
            if let Payload::ImportSection(reader) = payload.unwrap() {
                for group in reader {
                    if let Imports::Single(_, import) = group.unwrap() {
                        names.push(import.name.to_owned());
                    }
                }
            }
        }
        names
    }

    const JS: &str = "imports = { __wbg_body_5f971cbc6950ca4f: function(a) { return a.body; },\n\
                      __wbindgen_throw_0123456789abcdef: function() { throw 1; } };\n\
                      const __wbg_ptr = 0;";

    #[test]
    fn renames_the_bindgen_imports_in_both_files_and_keeps_the_rest() {
        let (wasm, js, renamed) = rename(&module(), JS).unwrap();
        assert_eq!(renamed, 2);
        assert_eq!(import_names(&wasm), ["w0", "w1", "import_module"]);
        assert_eq!(
            js,
            "imports = { w0: function(a) { return a.body; },\n\
             w1: function() { throw 1; } };\n\
             const __wbg_ptr = 0;"
        );
        // Still a valid module, whose code still calls its import by index.
        wasmparser::Validator::new().validate_all(&wasm).unwrap();
        assert!(wasm.len() < module().len());
    }

    #[test]
    fn stops_when_the_javascript_does_not_hold_a_name_exactly_once() {
        let missing = JS.replace("__wbg_body_5f971cbc6950ca4f", "body");
        let e = rename(&module(), &missing).unwrap_err();
        assert!(
            e.contains("__wbg_body_5f971cbc6950ca4f appears 0 times"),
            "{e}"
        );
        let twice = format!("{JS}\nconsole.log(__wbindgen_throw_0123456789abcdef);");
        let e = rename(&module(), &twice).unwrap_err();
        assert!(e.contains("appears 2 times"), "{e}");
    }

    #[test]
    fn a_longer_name_that_contains_one_is_not_it() {
        let js = format!("{JS}\nx.__wbg_body_5f971cbc6950ca4f_more = 1;");
        assert!(rename(&module(), &js).is_ok());
    }
}
