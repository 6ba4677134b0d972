"""Packaging details pyproject.toml cannot say: the built-in themes (``themes/``, with
their fonts and the fonts' licence) and the demo exhibition (``content/``) stay at the
top of the project, and are installed inside the package as ``kiosk._themes`` and
``kiosk._demo`` (read through importlib.resources, see kiosk/resources.py)."""

from setuptools import find_packages, setup

SHIPPED = {"kiosk._themes": "themes", "kiosk._demo": "content"}

setup(
    packages=find_packages(include=["kiosk", "kiosk.*"]) + list(SHIPPED),
    package_dir=SHIPPED,
    package_data={"": ["*.kv"], "kiosk.remote": ["page/*.html", "page/*.js", "page/*.css"],
                  **{name: ["**/*"] for name in SHIPPED}},
    exclude_package_data={"": ["__pycache__/*", "*.pyc", ".*"]},
)
