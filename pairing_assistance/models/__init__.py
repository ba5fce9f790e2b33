"""Pure model functions (no I/O): fiscal equalisation, growth with pairing support, inequality measures."""
