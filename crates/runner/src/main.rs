//! The `newsmill` binary: the command of the `runner` library, with the global allocator.

mod alloc;

use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: alloc::MiMalloc = alloc::MiMalloc;

fn main() -> ExitCode {
    runner::main_with_args(std::env::args_os())
}
