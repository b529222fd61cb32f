"""The greeting the home page shows; APP_DEFECT=greeting breaks it where the unit tests mock."""

import os


def greeting_for(name: str, render=None) -> str:
    render = render or _render
    return render(f"Hello, {name}!")


def _render(text: str) -> str:
    if os.environ.get("APP_DEFECT") == "greeting":
        return text.replace("Hello", "Goodbye")
    return text
