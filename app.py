"""Streamlit entry point of the Ezhou reform simulator: ``make app`` or ``ezhou app``.

The pages live in ``ui/``; the app runs the model only through ``experiments/``.
"""

from ui.main import main

if __name__ == "__main__":
    main()
