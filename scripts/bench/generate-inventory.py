#!/usr/bin/env python3
"""Writes the benchmark inventory: 100,000 hosts in 100 groups given as ranges, nested under 10 regional
parents and 2 environments, with group variables at every level and a few host variables."""
import sys

def main(path, groups=100, per_group=1000):
    lines = ["all:", "  vars:", "    ansible_user: deploy", "    ntp: [ntp1.example.com, ntp2.example.com]",
             "    limits: {nofile: 65535, nproc: 4096}", "  children:"]
    for env in ("production", "staging"):
        lines += [f"    {env}:", "      vars:", f"        env: {env}", "        debug: no", "      children:"]
        for region in range(10 if env == "production" else 0):
            lines += [f"        region{region:02d}:", "          vars:", f"            region: r{region}",
                      f"            ansible_group_priority: {region % 3 + 1}", "          children:"]
            for g in range(region * 10, region * 10 + 10):
                lines += [f"            app{g:03d}:"]
        if env == "staging":
            lines += ["        canary:", "          hosts:", "            app000-[0001:0050].dc0.example.com:",
                      "          vars:", "            canary: true"]
    for g in range(groups):
        first, last = 1, per_group
        lines += [f"    app{g:03d}:", "      hosts:",
                  f"        app{g:03d}-[{first:04d}:{last:04d}].dc{g % 4}.example.com:",
                  f"        app{g:03d}-0001.dc{g % 4}.example.com:", f"          special: {g}", "          tier: primary",
                  "      vars:", f"        app: app{g:03d}", f"        app_port: {8000 + g}", "        tier: default",
                  f"        limits: {{nofile: {1024 + g}}}"]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")

if __name__ == "__main__":
    main(sys.argv[1])
