"""The package list (everything else is in pyproject.toml).

The shipped runbooks live at the top level, in ``runbooks/``, and install inside the package
as ``automation.shipped`` (pyproject.toml's ``package-dir`` maps the name onto the folder). A
package mapped that way is not found by ``packages.find``, hence this list.
"""

from setuptools import find_namespace_packages, setup

setup(packages=[*find_namespace_packages(include=["automation*"]), "automation.shipped"])
