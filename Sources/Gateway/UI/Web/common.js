// The web view's shared part: signing in with a token kept in this tab's sessionStorage (or read once from a
// #token=… fragment, which never reaches the server, then removed from the address bar), and API calls with it.
"use strict";

const Pansible = (() => {
    const storageKey = "pansible.token";

    function readFragment() {
        const match = location.hash.match(/(?:^#|&)token=([^&]*)/);
        if (!match) return;
        sessionStorage.setItem(storageKey, decodeURIComponent(match[1]));
        history.replaceState(null, "", location.pathname + location.search);
    }

    function token() {
        return sessionStorage.getItem(storageKey);
    }

    /// Shows the sign-in form in place of the view; `start` runs once a token is there.
    function signIn(start, message) {
        document.getElementById("view").hidden = true;
        let form = document.getElementById("signin");
        if (!form) {
            form = document.createElement("form");
            form.id = "signin";
            form.innerHTML =
                '<h1>Sign in</h1><label for="token-input">API token</label>' +
                '<input type="password" id="token-input" autocomplete="off" required>' +
                '<p class="error" id="signin-error"></p><button type="submit">Sign in</button>';
            document.body.appendChild(form);
            form.addEventListener("submit", (event) => {
                event.preventDefault();
                sessionStorage.setItem(storageKey, document.getElementById("token-input").value.trim());
                form.remove();
                show(start);
            });
        }
        document.getElementById("signin-error").textContent = message || "";
    }

    function show(start) {
        const signOut = document.getElementById("sign-out");
        signOut.hidden = false;
        signOut.onclick = () => {
            sessionStorage.removeItem(storageKey);
            location.reload();
        };
        document.getElementById("view").hidden = false;
        start();
    }

    /// Reads the token (fragment first), then runs `start`, or asks for a token first.
    function boot(start) {
        readFragment();
        if (token()) show(start);
        else signIn(start);
    }

    class APIError extends Error {
        constructor(status, message) {
            super(message);
            this.status = status;
        }
    }

    /// An API call with the token; a 401 forgets it and asks again.
    async function api(method, path, body) {
        const headers = { Authorization: "Bearer " + token() };
        if (body !== undefined) headers["Content-Type"] = "application/json";
        const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
        if (response.ok) return response;
        let message = response.status + " " + response.statusText;
        try {
            const answer = await response.json();
            if (answer.error) message = answer.error.message;
        } catch (_) {
            // Not JSON: the status says it.
        }
        if (response.status === 401) {
            sessionStorage.removeItem(storageKey);
            signIn(() => location.reload(), "The token was refused: " + message);
        }
        throw new APIError(response.status, message);
    }

    async function json(method, path, body) {
        return (await api(method, path, body)).json();
    }

    function escape(text) {
        return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
    }

    /// "1 h 2 min", "3 min 4 s", "5 s" between two ISO dates (the second: now when absent).
    function duration(from, to) {
        if (!from) return "";
        let seconds = Math.max(0, Math.round(((to ? Date.parse(to) : Date.now()) - Date.parse(from)) / 1000));
        const hours = Math.floor(seconds / 3600);
        const minutes = Math.floor((seconds % 3600) / 60);
        seconds %= 60;
        if (hours) return hours + " h " + minutes + " min";
        if (minutes) return minutes + " min " + seconds + " s";
        return seconds + " s";
    }

    return { boot, token, api, json, escape, duration };
})();
