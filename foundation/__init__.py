"""The bottom floor every layer stands on: the settings, the site profiles and the types the
layers hand each other. It imports nothing of ours."""
