//! `speakers`: fits the weights of the quotes stage's speaker ranking on PolNeAR's train split
//! (texts and brat attribution annotations) and writes `data/quotes/speaker_weights.tsv`.
//!
//! ```sh
//! cargo run --release -p train --bin speakers -- --polnear ../shared/dev/polnear/data/train \
//!   --out data/quotes/speaker_weights.tsv
//! ```
//! Deterministic: files are read in sorted order, the perceptron sees the examples in that order.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use train::speakers::{fit, read_corpus, Example, Fit};

#[derive(Parser)]
#[command(about = "Fits the quotes stage's speaker-ranking weights on PolNeAR (brat) data")]
struct Args {
    /// Folder holding text/*.txt and attributions/*.ann (PolNeAR's data/train).
    #[arg(long)]
    polnear: PathBuf,
    /// Where to write the weights.
    #[arg(long, default_value = "data/quotes/speaker_weights.tsv")]
    out: PathBuf,
    #[arg(long, default_value_t = 10)]
    epochs: usize,
    /// Fit only the run-of-quotes decision (previous speaker or no one); the choice between
    /// routes (cue after, passive, cue before, colon) then keeps the rule order.
    #[arg(long)]
    only_runs: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let run = || -> Result<Fit, String> {
        let mut examples = read_corpus(&args.polnear)?;
        if args.only_runs {
            examples.retain(Example::is_follow_on);
        }
        let fit = fit(&examples, args.epochs);
        let header = format!(
            "# Weights of the speaker ranking (crates/extract/src/quotes/ranking.rs): feature<TAB>weight.\n\
             # Fitted by `cargo run --release -p train --bin speakers -- --polnear <PolNeAR data/train>`\n\
             # (averaged perceptron, {} epochs, {}) on {} decisions with a named gold source;\n\
             # ranking accuracy on them {:.3} (order of rules alone {:.3}).\n",
            args.epochs,
            if args.only_runs { "run-of-quotes decisions only" } else { "all decisions" }, fit.examples, fit.accuracy, fit.baseline
        );
        std::fs::write(&args.out, header + &fit.weights.to_tsv())
            .map_err(|e| format!("{}: {e}", args.out.display()))?;
        Ok(fit)
    };
    match run() {
        Ok(fit) => {
            eprintln!(
                "speakers: {} examples, ranking accuracy {:.3} (rule order {:.3}); wrote {}",
                fit.examples,
                fit.accuracy,
                fit.baseline,
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("speakers: {e}");
            ExitCode::FAILURE
        }
    }
}
