"""Party members: profile, personal data, posts, grid attachment and formal membership."""
