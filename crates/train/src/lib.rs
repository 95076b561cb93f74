//! Training code shared by the `train` binaries: the speaker ranking of the quotes stage
//! ([`speakers`], bin `speakers`). The name tagger's trainer lives in the `train` binary.

pub mod speakers;
