"""The Rasa-free core shared by both processes: the content file and its loader, red-flag
detection, the clinic and deployment settings, the names of slots and intents, and the wording
helpers. It imports neither Rasa nor any other package of this project (see the import-linter
contracts in pyproject.toml)."""
