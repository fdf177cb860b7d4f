#!/usr/bin/env bash
# Installs what Pansible needs on Debian 12: RabbitMQ, PostgreSQL, rabbitmq-c, git, ssh, bubblewrap (the sandbox every
# run of ansible-playbook gets), ansible-core and Mitogen, and Chromium with chromedriver, in which the web view's
# tests run.
# Idempotent: installs only what is missing.
set -euo pipefail

need=()
for pkg in rabbitmq-server librabbitmq-dev postgresql git openssh-client openssh-server curl jq bubblewrap chromium chromium-driver; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    echo "deps: installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# ansible-core from PyPI (2.14 to 2.19 are supported; 2.20+ needs Python 3.12).
if ! command -v ansible-playbook >/dev/null 2>&1; then
    echo "deps: installing ansible-core"
    python3 -m pip install -q 'ansible-core>=2.14,<2.20'
fi
# Mitogen for Ansible: workers use its strategy whenever it is importable and accepts the installed ansible-core
# (`worker.mitogen: auto`). 0.3.54 supports ansible-core 2.10 to 2.19.
MITOGEN_VERSION=0.3.54
python_for_ansible=$(ansible-playbook --version | sed -n 's/.*python version = .*(\(\/[^)]*\))$/\1/p')
python_for_ansible=${python_for_ansible:-python3}
if [ "$("$python_for_ansible" -c 'import importlib.metadata as m; print(m.version("mitogen"))' 2>/dev/null)" != "$MITOGEN_VERSION" ]; then
    echo "deps: installing mitogen $MITOGEN_VERSION"
    "$python_for_ansible" -m pip install -q "mitogen==$MITOGEN_VERSION"
fi
echo "deps: ok ($(ansible-playbook --version | sed -n 1p), mitogen $MITOGEN_VERSION, $(dpkg-query -W -f='rabbitmq-server ${Version}' rabbitmq-server), $(bwrap --version), $(dpkg-query -W -f='chromium ${Version}' chromium))"
