//! Reply extraction: the new text of a reply, without quoted history or signature.
