#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    groups_console::crash::install_panic_hook();
    leptos::mount::mount_to_body(groups_console::App);
}
