// Placeholder until this module has code.
