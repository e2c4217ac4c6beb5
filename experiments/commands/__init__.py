"""The ``ezhou`` commands, one module per command or group; :mod:`experiments.cli` puts them
together. A command reads its options, calls the layers below (formats, engine, analysis,
reports) and prints; it holds no logic of its own that the app would need."""
