// One job's page: a grid with one cell per host (data-host, data-state), filled in live from the collector's
// progress WebSocket, which replays every stored event and then sends the live ones and `job_finished`.
//
// A host's state: "pending" until its first event, "running" while its tasks run ("failed" or "unreachable" at
// once when a task fails or it cannot be reached), and once its shard has finished, its summary — the same stats
// GET /api/v1/job/result/{uuid} shows and job_finished's recap carries — decides, in Ansible's order of
// precedence: failures > 0 → failed, unreachable → unreachable, changed > 0 → changed, ok > 0 → ok, otherwise
// skipped. A host that never reported (its shard never ran) stays pending.
//
// Thousands of hosts send tens of thousands of events: each event only records the host's new state in a Map;
// the cells change once per animation frame, each cell found through a Map from host to element.
"use strict";

(() => {
    const uuid = decodeURIComponent(location.pathname.split("/").pop());
    const states = ["pending", "running", "ok", "changed", "failed", "unreachable", "skipped"];
    const collator = new Intl.Collator(undefined, { numeric: true });
    const grid = document.getElementById("grid");
    const hostState = new Map(); // host -> state
    const hostTask = new Map(); // host -> last task seen
    const cells = new Map(); // host -> element
    const changed = new Map(); // host -> state, waiting for the next frame
    const counts = Object.fromEntries(states.map((state) => [state, 0]));
    let currentTask = null;
    let frame = 0;
    let gridDirty = false;
    let finished = false;
    let socket = null;
    let resultTimer = 0;

    /// The final state of a host from its summary: a recap entry (failures, unreachable: counts) or the result
    /// API's stats (failed: a count, unreachable: a boolean).
    function finalState(stats) {
        const failures = stats.failures ?? stats.failed ?? 0;
        const unreachable = stats.unreachable === true || stats.unreachable > 0;
        if (failures > 0) return "failed";
        if (unreachable) return "unreachable";
        if (stats.changed > 0) return "changed";
        if (stats.ok > 0) return "ok";
        return "skipped";
    }

    function setState(host, state) {
        const old = hostState.get(host);
        if (old === state) return;
        if (old === undefined) gridDirty = true;
        else counts[old] -= 1;
        counts[state] += 1;
        hostState.set(host, state);
        changed.set(host, state);
        schedule();
    }

    function addHost(host) {
        if (!hostState.has(host)) setState(host, "pending");
    }

    /// A live event's effect: the host runs, or has failed or become unreachable; its summary settles it later.
    function liveState(host, type) {
        const state = hostState.get(host);
        if (state !== undefined && state !== "pending" && state !== "running") return;
        if (type === "failed" || type === "unreachable") setState(host, type);
        else setState(host, "running");
    }

    function schedule() {
        if (!frame) frame = requestAnimationFrame(render);
    }

    /// Applies everything that changed since the last frame: the whole grid once when hosts were added, else
    /// only the changed cells.
    function render() {
        frame = 0;
        if (gridDirty) {
            gridDirty = false;
            const hosts = [...hostState.keys()].sort(collator.compare);
            const e = Pansible.escape;
            grid.innerHTML = hosts
                .map((host) => '<div data-host="' + e(host) + '" data-state="' + hostState.get(host) + '" title="' + e(host) + '"></div>')
                .join("");
            cells.clear();
            for (const cell of grid.children) cells.set(cell.dataset.host, cell);
        } else {
            for (const [host, state] of changed) {
                const cell = cells.get(host);
                if (cell) cell.dataset.state = state;
            }
        }
        changed.clear();
        document.querySelector('[data-count="all"]').textContent = hostState.size;
        for (const state of states) document.querySelector('[data-count="' + state + '"]').textContent = counts[state];
        if (currentTask !== null) document.getElementById("current-task").textContent = currentTask;
        document.getElementById("grid-note").textContent = hostState.size ? "" : "The job has not been split into shards yet.";
    }

    /// Every host of the job (once split), with the stats of those whose shard has finished.
    async function loadResult() {
        const result = await Pansible.json("GET", "/api/v1/job/result/" + encodeURIComponent(uuid));
        for (const [host, entry] of Object.entries(result)) {
            addHost(host);
            if (entry.stats) setState(host, finalState(entry.stats));
        }
        schedule();
    }

    /// Reads the result again shortly (several shards finishing at once cost one request).
    function reloadResult() {
        clearTimeout(resultTimer);
        resultTimer = setTimeout(() => loadResult().catch(showError), 300);
    }

    function showJob(job) {
        document.title = "Pansible: job " + job.uuid;
        document.getElementById("job-title").textContent = job.uuid;
        showStatus(job.status, job.status_reason);
        const facts = ["env " + job.env, (job.host_count ?? "?") + " hosts", (job.shard_count ?? "?") + " shards"];
        if (job.started_at) facts.push(Pansible.duration(job.started_at, job.finished_at));
        if (job.relaunch_of) facts.push("relaunch of " + job.relaunch_of);
        document.getElementById("job-facts").textContent = facts.join(" · ");
    }

    function showStatus(status, reason) {
        const element = document.getElementById("status");
        element.textContent = status;
        element.dataset.status = status;
        document.getElementById("status-reason").textContent = reason || "";
        const final = ["successful", "failed", "error", "canceled"].includes(status);
        document.getElementById("cancel").disabled = final;
        document.getElementById("relaunch").disabled = !final;
    }

    function showRecap(recap) {
        const e = Pansible.escape;
        const columns = ["ok", "changed", "failures", "unreachable", "skipped", "rescued", "ignored"];
        document.querySelector("#recap tbody").innerHTML = Object.keys(recap)
            .sort(collator.compare)
            .map((host) => "<tr><td>" + e(host) + "</td>" + columns.map((c) => "<td>" + e(recap[host][c] ?? 0) + "</td>").join("") + "</tr>")
            .join("");
    }

    async function loadLog() {
        const log = document.getElementById("log");
        log.textContent = await (await Pansible.api("GET", "/api/v1/job/" + encodeURIComponent(uuid) + "/stdout")).text();
    }

    function onMessage(message) {
        switch (message.type) {
            case "job_finished":
                finished = true;
                for (const [host, stats] of Object.entries(message.recap || {})) {
                    addHost(host);
                    setState(host, finalState(stats));
                }
                showStatus(message.status, message.reason);
                showRecap(message.recap || {});
                document.getElementById("recap-section").open = true;
                Pansible.json("GET", "/api/v1/job/" + encodeURIComponent(uuid)).then(showJob, showError);
                if (document.getElementById("log-section").open) loadLog().catch(showError);
                return;
            case "job_split":
                reloadResult();
                showStatus("running");
                return;
            case "shard_finished":
            case "shard_error":
            case "shard_canceled":
                reloadResult();
                return;
            case "playbook_on_task_start":
                if (message.task) currentTask = message.task;
                schedule();
                return;
            case "lagging":
                return;
        }
        if (!message.target) return;
        if (message.task) hostTask.set(message.target, message.task);
        if (["runner_on_start", "ok", "failed", "unreachable", "skipped"].includes(message.type)) {
            liveState(message.target, message.type);
        }
    }

    function connect(progressURL) {
        const base = progressURL || (location.protocol === "https:" ? "wss://" : "ws://") + location.hostname + ":5858/api/v1/job/progress/" + uuid;
        socket = new WebSocket(base + "?token=" + encodeURIComponent(Pansible.token()));
        socket.onmessage = (event) => onMessage(JSON.parse(event.data));
        socket.onclose = () => {
            // Closed before the end (a lagging session, a restarted collector): replay again.
            if (!finished) setTimeout(() => connect(progressURL), 2000);
        };
    }

    function showError(error) {
        document.getElementById("action-result").textContent = error.message;
    }

    async function act(path, body, done) {
        const output = document.getElementById("action-result");
        output.textContent = "…";
        try {
            done(await Pansible.json("POST", "/api/v1/job/" + encodeURIComponent(uuid) + path, body));
        } catch (error) {
            output.textContent = error.message;
        }
    }

    function wire() {
        document.getElementById("cancel").addEventListener("click", () =>
            act("/cancel", undefined, (job) => {
                document.getElementById("action-result").textContent = job.status === "canceled" ? "Canceled." : "Cancel requested.";
                showStatus(job.status, job.status_reason);
            })
        );
        document.getElementById("relaunch").addEventListener("click", () =>
            act("/relaunch", { hosts: "failed" }, (job) => {
                location.href = "/ui/jobs/" + encodeURIComponent(job.uuid);
            })
        );
        document.getElementById("filters").addEventListener("click", (event) => {
            const button = event.target.closest("button[data-filter]");
            if (!button) return;
            grid.dataset.filter = button.dataset.filter;
            for (const other of document.querySelectorAll("#filters button")) other.setAttribute("aria-pressed", String(other === button));
        });
        grid.addEventListener("click", (event) => {
            const host = event.target.dataset.host;
            if (!host) return;
            const task = hostTask.get(host);
            document.getElementById("host-detail").textContent = host + ": " + hostState.get(host) + (task ? " (last task: " + task + ")" : "");
        });
        const logSection = document.getElementById("log-section");
        logSection.addEventListener("toggle", () => {
            if (logSection.open) loadLog().catch(showError);
        });
        document.getElementById("log-refresh").addEventListener("click", () => loadLog().catch(showError));
    }

    async function start() {
        wire();
        const job = await Pansible.json("GET", "/api/v1/job/" + encodeURIComponent(uuid));
        showJob(job);
        await loadResult();
        connect(job.progress_url);
    }

    Pansible.boot(() => start().catch(showError));
})();
