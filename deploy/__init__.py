"""Development and test tooling that is not part of the runtime image: loopback servers."""
