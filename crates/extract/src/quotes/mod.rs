//! Direct quotations, their kind, speaker and cue.
