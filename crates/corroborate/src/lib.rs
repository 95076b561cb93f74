//! The `corroborate` corpus stage: groups the same quotation and the same person across
//! documents, and reports where documents disagree.
