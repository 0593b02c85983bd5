"""Demo districts of section 8 of the domain digest, with synthetic people, for `make dev`."""
