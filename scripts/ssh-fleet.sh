#!/usr/bin/env bash
# A fleet of real SSH test hosts on this machine, for tests and benchmarks: HOSTS loopback addresses
# 127.0.1.1, 127.0.1.2, … 127.0.1.254, 127.0.2.1, … (every one local on Linux), each answering on SSH_PORT.
# Every host has an address of its own, as real machines do: Ansible's ControlPersist and Mitogen key their
# connections by host, port and user, so aliases of one address would share one connection.
# OpenSSH's sshd listens on at most 16 addresses per process (MAX_LISTEN_SOCKS), so one sshd serves each
# 16 addresses. Keys, configurations, pid files and logs live in $PANSIBLE_STATE_DIR/ssh-fleet/.
#   scripts/ssh-fleet.sh up          start the sshd processes still missing (idempotent; a changed HOSTS or
#                                    SSH_PORT restarts only the sshd it changes), wait until every address answers
#   scripts/ssh-fleet.sh down        stop them, and the sessions they serve
#   scripts/ssh-fleet.sh disconnect  end every session (the listeners stay): clients' ControlPersist masters
#                                    go away, the next run connects afresh
#   scripts/ssh-fleet.sh inventory   print the fleet as an Ansible YAML inventory (the client key is
#                                    $PANSIBLE_STATE_DIR/ssh-fleet/id_ed25519: pass it with --private-key)
#   scripts/ssh-fleet.sh status
# Environment: HOSTS (400), SSH_PORT (2222), PANSIBLE_STATE_DIR (./.pansible).
# Only loopback addresses are ever used; we log in as root (PermitRootLogin prohibit-password, key only).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
STATE=${PANSIBLE_STATE_DIR:-$ROOT/.pansible}
HOSTS=${HOSTS:-400}
SSH_PORT=${SSH_PORT:-2222}
PER_SSHD=16
SSHD=/usr/sbin/sshd
mkdir -p "$STATE"
FLEET=$(cd "$STATE" && pwd)/ssh-fleet

[[ $HOSTS =~ ^[0-9]+$ ]] && [ "$HOSTS" -ge 1 ] && [ "$HOSTS" -le 64516 ] || { echo "ssh-fleet: HOSTS must be 1 to 64516" >&2; exit 2; }

# The address of host N (1-based): 127.0.1.1 … 127.0.1.254, then 127.0.2.1 …
address() { local n=$(($1 - 1)); echo "127.0.$((1 + n / 254)).$((1 + n % 254))"; }
groups() { echo $(((HOSTS + PER_SSHD - 1) / PER_SSHD)); }
pidfile() { echo "$FLEET/sshd-$1.pid"; }
running() { [ -s "$(pidfile "$1")" ] && kill -0 "$(cat "$(pidfile "$1")")" 2>/dev/null; }
port_open() { (exec 3<>"/dev/tcp/$1/$SSH_PORT") 2>/dev/null; }

keys() {
    mkdir -p "$FLEET"
    chmod 700 "$FLEET"
    [ -s "$FLEET/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C pansible-ssh-fleet -f "$FLEET/id_ed25519"
    [ -s "$FLEET/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C pansible-ssh-fleet-host -f "$FLEET/ssh_host_ed25519_key"
}

# The configuration of sshd number G (1-based): hosts (G-1)*16+1 … G*16, at most HOSTS.
config() {
    local g=$1 first last n
    first=$(((g - 1) * PER_SSHD + 1))
    last=$((g * PER_SSHD < HOSTS ? g * PER_SSHD : HOSTS))
    for n in $(seq "$first" "$last"); do echo "ListenAddress $(address "$n"):$SSH_PORT"; done
    cat <<CONF
PidFile $(pidfile "$g")
HostKey $FLEET/ssh_host_ed25519_key
AuthorizedKeysFile $FLEET/id_ed25519.pub
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
MaxStartups 200:30:400
MaxSessions 50
UseDNS no
PrintMotd no
X11Forwarding no
Subsystem sftp internal-sftp
CONF
}

up() {
    keys
    mkdir -p /run/sshd
    chmod 755 /run/sshd
    local g started=0 conf
    for g in $(seq 1 "$(groups)"); do
        conf=$FLEET/sshd-$g.conf
        config "$g" > "$conf.new"
        if running "$g" && cmp -s "$conf.new" "$conf"; then rm -f "$conf.new"; continue; fi
        running "$g" && stop_group "$g"
        mv "$conf.new" "$conf"
        "$SSHD" -t -f "$conf" || { echo "ssh-fleet: $conf is not accepted by sshd" >&2; exit 1; }
        "$SSHD" -f "$conf" -E "$FLEET/sshd-$g.log"
        started=$((started + 1))
    done
    # A smaller fleet than last time: the surplus sshd go.
    surplus() { [ "$1" -le "$(groups)" ] || stop_group "$1"; }
    each_group surplus
    local n addr deadline=$((SECONDS + 60))
    for n in $(seq 1 "$HOSTS"); do
        addr=$(address "$n")
        until port_open "$addr"; do
            if [ "$SECONDS" -ge "$deadline" ]; then
                echo "ssh-fleet: $addr:$SSH_PORT does not answer after 60 s (see $FLEET/sshd-*.log)" >&2
                exit 1
            fi
            sleep 0.1
        done
    done
    echo "ssh-fleet: $HOSTS hosts up on $(address 1) … $(address "$HOSTS") port $SSH_PORT ($(groups) sshd, $started started now); key $FLEET/id_ed25519"
}

# A process's descendants, depth first (collected before anything is killed: orphans lose their parent).
descendants() {
    local child
    for child in $(pgrep -P "$1" || true); do
        echo "$child"
        descendants "$child"
    done
}

# Ends the sessions of sshd G (every process under it: the session monitors, their post-authentication
# children, the commands they run); with "all", the listener too.
stop_group() {
    local g=$1 pid sessions
    pid=$(cat "$(pidfile "$g")")
    sessions=$(descendants "$pid")
    [ "${2:-all}" = all ] && kill -TERM "$pid" 2>/dev/null || true
    [ -z "$sessions" ] || kill -TERM $sessions 2>/dev/null || true
    if [ "${2:-all}" = all ]; then
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        rm -f "$(pidfile "$g")"
    fi
}

# Every sshd of the fleet that has a pid file, whatever HOSTS is now.
each_group() {
    local f g
    for f in "$FLEET"/sshd-*.pid; do
        [ -e "$f" ] || continue
        g=${f##*/sshd-}
        g=${g%.pid}
        if running "$g"; then "$@" "$g"; else rm -f "$f"; fi
    done
}

down() {
    each_group stop_group
    echo "ssh-fleet: stopped"
}

disconnect() {
    disconnect_group() { stop_group "$1" sessions; }
    each_group disconnect_group
}

inventory() {
    local python n
    python=$(ansible-playbook --version | sed -n 's/.*python version = .*(\(\/[^)]*\))$/\1/p')
    [ -n "$python" ] || { echo "ssh-fleet: cannot tell which Python runs ansible-playbook" >&2; exit 1; }
    echo "all:"
    echo "  hosts:"
    for n in $(seq 1 "$HOSTS"); do
        printf '    ssh%04d: {ansible_host: %s, ansible_port: %s, ansible_user: root}\n' "$n" "$(address "$n")" "$SSH_PORT"
    done
    echo "  vars:"
    echo "    ansible_ssh_common_args: '-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'"
    # Mitogen decides host key checking from this (or Ansible's host_key_checking), not from the ssh arguments.
    echo "    ansible_host_key_checking: false"
    # The fleet's sshd and the targets' Python share this machine's CPU with the controller: under a large
    # job a connection's set-up (Mitogen's includes starting Python on the target) can take longer than
    # Ansible's default 10 s.
    echo "    ansible_timeout: 60"
    echo "    ansible_python_interpreter: $python"
}

status() {
    local g up=0 total
    total=$(groups)
    for g in $(seq 1 "$total"); do running "$g" && up=$((up + 1)); done
    echo "ssh-fleet: $up of $total sshd running for $HOSTS hosts on port $SSH_PORT ($FLEET)"
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    disconnect) disconnect ;;
    inventory) inventory ;;
    status) status ;;
    *) echo "usage: $0 up|down|disconnect|inventory|status" >&2; exit 2 ;;
esac
