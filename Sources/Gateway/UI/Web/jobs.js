// The job list: the jobs the token may see (GET /api/v1/jobs filters by its scope), newest first.
"use strict";

(() => {
    const body = document.querySelector("#jobs tbody");
    const more = document.getElementById("more");
    let cursor = null;

    function row(job) {
        const e = Pansible.escape;
        const duration = job.started_at ? Pansible.duration(job.started_at, job.finished_at) : "";
        return (
            "<tr><td><a href=\"/ui/jobs/" + e(job.uuid) + "\">" + e(job.uuid) + "</a></td>" +
            "<td><span class=\"status\" data-status=\"" + e(job.status) + "\">" + e(job.status) + "</span></td>" +
            "<td>" + e(job.env) + "</td><td>" + e(job.host_count ?? "") + "</td>" +
            "<td>" + e(new Date(job.created_at).toLocaleString()) + "</td><td>" + e(duration) + "</td></tr>"
        );
    }

    async function load() {
        const page = await Pansible.json("GET", "/api/v1/jobs?limit=100" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""));
        body.insertAdjacentHTML("beforeend", page.jobs.map(row).join(""));
        cursor = page.next;
        more.hidden = !cursor;
    }

    more.addEventListener("click", () => load().catch(() => {}));
    Pansible.boot(() => load().catch(() => {}));
})();
