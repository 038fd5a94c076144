"""Provide ansible-test's pip bootstrap script without downloading it.

ansible-test --venv bootstraps pip in each new virtual environment by running
~/.ansible/test/cache/get_pip_<pip version>.py, which it downloads from a host
that is unreachable here. This writes a stand-in for that script, which
installs from a pip wheel fetched from PyPI with `pip download`.

Usage: python offline_get_pip.py <python version>  (run with the Python that has ansible-core)
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import types

import ansible_test
from ansible_test._internal.python_requirements import get_venv_packages

CACHE_DIR = os.path.expanduser('~/.ansible/test/cache')
MARKER = '# offline get-pip stand-in written by scripts/lib/offline_get_pip.py'
TEMPLATE = '''{marker}
"""Install pip {version} from a local wheel; ansible-test runs this in place of get-pip.py."""
import os
import sys

WHEEL = {wheel!r}

sys.path.insert(0, WHEEL)
from pip._internal.cli.main import main  # noqa: E402 pylint: disable=wrong-import-position

ARGS = [WHEEL if arg == 'pip=={version}' else arg for arg in sys.argv[1:] if arg not in ('--no-setuptools', '--no-wheel')]
sys.exit(main(['install', '--find-links', os.path.dirname(WHEEL)] + ARGS))
'''


def cache_file_name(pip_version: str) -> str:
    """Return the name ansible-test looks for, checked against its own source."""
    setup = os.path.join(os.path.dirname(ansible_test.__file__), '_util', 'target', 'setup', 'requirements.py')
    with open(setup, encoding='utf-8') as source:
        if not re.search(r"'~/\.ansible/test/cache/get_pip_%s\.py' % pip_version\.replace\(\"\.\", \"_\"\)", source.read()):
            sys.exit(f'{setup} no longer names its pip bootstrap script as expected; update {__file__}')
    return 'get_pip_%s.py' % pip_version.replace('.', '_')


def fetch_wheel(pip_version: str) -> str:
    """Download the pip wheel into the cache (once) and return its path."""
    name = f'pip-{pip_version}-py3-none-any.whl'
    wheel = os.path.join(CACHE_DIR, name)
    if os.path.exists(wheel):
        return wheel
    with tempfile.TemporaryDirectory(dir=CACHE_DIR) as download_dir:
        subprocess.run([sys.executable, '-m', 'pip', 'download', '--disable-pip-version-check', '--quiet',
                        '--no-deps', '--only-binary', ':all:', '--dest', download_dir, f'pip=={pip_version}'], check=True)
        if not os.path.exists(os.path.join(download_dir, name)):
            sys.exit(f'pip download did not produce {name}')
        os.replace(os.path.join(download_dir, name), wheel)
    return wheel


def write_stand_in(pip_version: str) -> None:
    """Write the bootstrap script unless a real or identical one is already cached."""
    path = os.path.join(CACHE_DIR, cache_file_name(pip_version))
    content = TEMPLATE.format(marker=MARKER, version=pip_version, wheel=fetch_wheel(pip_version))
    if os.path.exists(path):
        with open(path, encoding='utf-8') as existing:
            current = existing.read()
        if current == content or not current.startswith(MARKER):
            return
    temporary = f'{path}.{os.getpid()}.tmp'
    with open(temporary, 'w', encoding='utf-8') as script:
        script.write(content)
    os.replace(temporary, path)
    print(f'Wrote offline pip {pip_version} bootstrap script for ansible-test: {path}')


def main() -> None:
    """Write the stand-in for the pip version this ansible-test uses with the given Python version."""
    python_version = sys.argv[1] if len(sys.argv) > 1 else '%d.%d' % sys.version_info[:2]
    os.makedirs(CACHE_DIR, exist_ok=True)
    write_stand_in(get_venv_packages(types.SimpleNamespace(version=python_version))['pip'])


if __name__ == '__main__':
    main()
