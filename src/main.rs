use std::process::ExitCode;

use clap::Parser;
use dockslim::cli::{Status, args::Cli, run};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // Help and version go to stdout with 0; bad flags are errors (2).
            let _ = err.print();
            return if err.use_stderr() {
                Status::Error.into()
            } else {
                Status::Clean.into()
            };
        }
    };
    run(cli).into()
}
