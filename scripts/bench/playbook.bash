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
