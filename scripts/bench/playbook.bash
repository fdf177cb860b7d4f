# Sourced by the Ansible benchmarks: the playbook they all run (HOSTS x 3 module tasks, no facts), committed in
# a local git repository as a user's playbook repository would be.
#   bench_repository DIR    creates DIR/site.yml and the repository; prints the commit
bench_repository() {
    local dir=$1
    mkdir -p "$dir"
    cat > "$dir/site.yml" <<'YAML'
- name: bench
  hosts: all
  gather_facts: false
  tasks:
    - ansible.builtin.ping:
    - ansible.builtin.command: "true"
    - ansible.builtin.stat:
        path: /
YAML
    git -C "$dir" init -q --initial-branch=main
    git -C "$dir" add -A
    git -C "$dir" -c user.name=bench -c user.email=bench@example.invalid commit -qm bench
    git -C "$dir" rev-parse HEAD
}

# Runs plain ansible-playbook on that playbook from DIR (the caller's command line after DIR, e.g. `env X=1
# ansible-playbook -i INV -f 50 site.yml`), its output in DIR/../plain.log; fails, saying why, unless its recap
# shows COUNT hosts with ok=3 and no failure; prints its wall seconds.
#   bench_plain NAME COUNT DIR COMMAND...
bench_plain() {
    local name=$1 count=$2 dir=$3 good
    shift 3
    local log=$dir/../plain.log time=$dir/../plain.time
    if ! (cd "$dir" && /usr/bin/time -f %e -o "$time" "$@" > "$log" 2>&1); then
        tail -30 "$log" >&2
        echo "$name: ansible-playbook failed ($*)" >&2
        exit 1
    fi
    good=$(grep -cE ' : ok=3 .* unreachable=0 +failed=0 ' "$log" || true)
    [ "$good" = "$count" ] || { tail -30 "$log" >&2; echo "$name: $good of $count hosts ok in ansible-playbook's recap" >&2; exit 1; }
    tail -1 "$time"
}
