//! Reply addresses.
