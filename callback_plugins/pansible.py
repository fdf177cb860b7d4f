# Pansible's callback plugin: streams every Ansible event of a run to the worker as JSON lines.
#
# The worker enables it through the environment only (ANSIBLE_CALLBACK_PLUGINS gets this directory
# prepended, ANSIBLE_CALLBACKS_ENABLED gets "pansible" appended), so a playbook's own ansible.cfg and its
# stdout callback keep working. Events are appended to the file named by PANSIBLE_EVENTS_FILE, one JSON
# object per line, in the order Ansible emits them. Appending to a local file never blocks on the reader,
# so a slow worker never stalls Ansible, and nothing is lost: the worker tails the file.
#
# Each line matches the worker's `PansibleEvent` (snake_case keys) plus `stdout_offset`: the size of the
# run's captured output (stdout and stderr share one file) once this event's own output was written. The
# stdout callback runs before notification callbacks, so the output between two offsets is the output of
# the later event; the worker attaches it to that event and the job's whole log can be rebuilt in order.
#
# A credential's secrets (the vault password, the SSH key and each of its lines), read from the run's private
# directory (PANSIBLE_SECRETS_DIR), are masked in every event; the worker masks Ansible's own output likewise.
# The run ends itself when its worker dies: the worker holds a lock on PANSIBLE_RUN_LOCK while the run lasts.
# Under Mitogen, tasks on the `local` connection run in forked children (see _fork_local_mitogen_tasks).
#
# Works with ansible-core 2.14 to 2.19: only the documented callback API is used, with the 2.19 property
# names (`result.host`, `result.task`, `result.result`) preferred and the older underscored ones as fallback.

from __future__ import annotations

DOCUMENTATION = '''
    name: pansible
    type: notification
    short_description: streams every event of a run to the Pansible worker
    description:
      - Appends one JSON object per Ansible event to the file named by PANSIBLE_EVENTS_FILE.
      - Results of tasks with no_log are censored; results larger than PANSIBLE_RESULT_MAX_BYTES are trimmed.
      - The credential's secrets found in PANSIBLE_SECRETS_DIR are masked in every event.
      - The run ends itself when the worker's lock on PANSIBLE_RUN_LOCK goes (the worker died).
      - Under Mitogen's strategy, tasks on the local connection run in forked children, so hosts run side by side.
    requirements:
      - enable it with ANSIBLE_CALLBACKS_ENABLED=pansible and set PANSIBLE_EVENTS_FILE
'''

import datetime
import fcntl
import json
import math
import os
import signal
import sys
import threading
import time
import uuid

from ansible.plugins.callback import CallbackBase

try:
    from ansible.module_utils.common.json import AnsibleJSONEncoder as _Encoder
except ImportError:  # pragma: no cover - every supported ansible-core has it
    _Encoder = json.JSONEncoder

CENSORED = "the output has been hidden due to the fact that 'no_log: true' was specified for this result"
# Keys Ansible keeps when it censors a result.
PRESERVED_KEYS = ('attempts', 'changed', 'retries', 'failed', 'unreachable', 'skipped')
# Keys kept (shortened) when a result is too large.
TRIM_KEEP_KEYS = ('changed', 'failed', 'skipped', 'unreachable', 'rc', 'attempts', 'retries', 'ansible_loop_var',
                  'skip_reason', 'false_condition', 'censored')
TRIM_TEXT_KEYS = ('msg', 'stdout', 'stderr', 'item')
DEFAULT_RESULT_MAX_BYTES = 256 * 1024
# What a credential's secret is replaced with; shorter secrets are left alone (they would hide ordinary words).
MASK = '********'
MASK_MINIMUM_LENGTH = 4


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


def _stamp(moment):
    return moment.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (moment.microsecond // 1000)


def _finite(value):
    """Replaces values JSON cannot carry (NaN, infinities) so every line stays valid JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def _dumps(value):
    try:
        return json.dumps(value, cls=_Encoder, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return json.dumps(_finite(value), ensure_ascii=False, allow_nan=False, default=str)


def _lock_is_free(descriptor):
    """Whether nobody holds an exclusive lock on the file (a shared lock is taken and let go at once)."""
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return False
    fcntl.flock(descriptor, fcntl.LOCK_UN)
    return True


def _end_process_group():
    """SIGTERM to the run's process group, then SIGKILL 5 s later. A forked helper, which ignores SIGTERM, sends
    both: the SIGTERM ends this process, and SIGKILL must still reach what survives it (and, in a sandbox,
    bubblewrap's init, whose end ends every process of the run)."""
    try:
        if os.fork() != 0:
            return
    except OSError:
        os.killpg(os.getpgrp(), signal.SIGKILL)
        return
    try:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        os.killpg(os.getpgrp(), signal.SIGTERM)
        time.sleep(5)
        os.killpg(os.getpgrp(), signal.SIGKILL)
    finally:
        os._exit(0)


def _fork_local_mitogen_tasks():
    """Under Mitogen, every host reached over the `local` connection (inventory hosts with
    `ansible_connection: local`, `connection: local` plays, `delegate_to: localhost`) shares one interpreter,
    and that interpreter runs its tasks one at a time: ten such hosts with a two-second task take twenty
    seconds instead of four. Each task on the local connection is therefore run in a child forked for it, as
    `mitogen_task_isolation: fork` would, which runs the hosts side by side as Ansible's own strategy does.
    Connections to other machines keep one interpreter per host and are left as they are, and so is a task
    whose variables set `mitogen_task_isolation` themselves (`default` keeps the shared interpreter: cheaper
    for many instant tasks, a queue for tasks that wait)."""
    if not os.environ.get('ANSIBLE_STRATEGY', '').startswith('mitogen'):
        return
    try:
        import ansible_mitogen.planner as planner
    except Exception:  # Mitogen absent or incompatible: the run is plain anyway
        return
    for kind in list(vars(planner).values()):
        if not (isinstance(kind, type) and issubclass(kind, planner.Planner) and 'should_fork' in vars(kind)):
            continue
        if getattr(kind.should_fork, 'pansible_local_fork', False):
            continue

        def should_fork(self, _original=kind.should_fork):
            if _original(self):
                return True
            invocation = getattr(self, '_inv', None)
            if 'mitogen_task_isolation' in (getattr(invocation, 'task_vars', None) or {}):
                return False
            return getattr(getattr(invocation, 'connection', None), 'transport', None) == 'local'

        should_fork.pansible_local_fork = True
        kind.should_fork = should_fork


def _attribute(obj, name):
    """`obj.name` (ansible-core 2.19) or `obj._name` (older)."""
    try:
        return getattr(obj, name)
    except AttributeError:
        return getattr(obj, '_' + name, None)


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'notification'
    CALLBACK_NAME = 'pansible'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, display=None):
        super(CallbackModule, self).__init__(display=display)
        self._path = os.environ.get('PANSIBLE_EVENTS_FILE')
        self._file = None
        self._counter = 0
        self._playbook_uuid = None
        self._play = None
        self._task = None
        self._started = {}
        self._secrets = []
        try:
            self._max_bytes = int(os.environ.get('PANSIBLE_RESULT_MAX_BYTES', DEFAULT_RESULT_MAX_BYTES))
        except ValueError:
            self._max_bytes = DEFAULT_RESULT_MAX_BYTES
        if not self._path:
            self.disabled = True
            return
        self._secrets = self._load_secrets()
        _fork_local_mitogen_tasks()
        self._file = open(self._path, 'a', encoding='utf-8', errors='replace')
        self._watch_worker()

    def _watch_worker(self):
        """Ends the run when the worker that started it is gone (SIGKILL, crash): its shard is redelivered to
        another worker, and two runs must not work on the same hosts at once.

        The worker holds an exclusive lock on the run's lock file (PANSIBLE_RUN_LOCK) for as long as the run
        lasts, and the kernel drops it when the worker dies, however it dies; this works the same in a sandbox
        or a container, where the worker's process is out of sight."""
        path = os.environ.get('PANSIBLE_RUN_LOCK')
        if not path:
            return
        try:
            lock = os.open(path, os.O_RDONLY | getattr(os, 'O_CLOEXEC', 0))
        except OSError:
            return
        if _lock_is_free(lock):  # nobody holds it: not a worker's run
            os.close(lock)
            return

        def watch():
            while not _lock_is_free(lock):
                time.sleep(0.5)
            _end_process_group()

        thread = threading.Thread(target=watch, name='pansible-worker-watch', daemon=True)
        thread.start()

    # -- secrets ---------------------------------------------------------------------------------------

    def _load_secrets(self):
        """The credential's secrets, read from the run's private directory (PANSIBLE_SECRETS_DIR), so that a
        task printing them shows MASK instead: the vault password, the SSH key and each line of the key (a task
        may print it line by line). Longest first, so a line never leaves part of the whole key behind."""
        directory = os.environ.get('PANSIBLE_SECRETS_DIR')
        secrets = set()
        for name in ('ssh_key', 'vault_password') if directory else ():
            try:
                with open(os.path.join(directory, name), encoding='utf-8', errors='replace') as handle:
                    text = handle.read()
            except OSError:
                continue
            for candidate in [text.strip()] + [line.strip() for line in text.splitlines()]:
                if len(candidate) >= MASK_MINIMUM_LENGTH:
                    secrets.add(candidate)
        return sorted(secrets, key=len, reverse=True)

    def _mask(self, value):
        """`value` (a string, or JSON-like data) with every secret replaced by MASK."""
        if not self._secrets:
            return value
        if isinstance(value, str):
            for secret in self._secrets:
                if secret in value:
                    value = value.replace(secret, MASK)
            return value
        if isinstance(value, dict):
            return {self._mask(k) if isinstance(k, str) else k: self._mask(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self._mask(v) for v in value]
        return value

    # -- writing ---------------------------------------------------------------------------------------

    def _output_offset(self):
        """Flushes Ansible's own output and returns how much of it was written so far (None if not a file)."""
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        try:
            return os.lseek(sys.stdout.fileno(), 0, os.SEEK_CUR)
        except (OSError, ValueError, AttributeError):
            return None

    def _emit(self, event_type, moment=None, **fields):
        if self._file is None:
            return
        moment = moment or _now()
        self._counter += 1
        event = {
            'id': str(uuid.uuid4()),
            'counter': self._counter,
            'type': event_type,
            'timestamp': _stamp(moment),
        }
        if self._play is not None and 'play' not in fields:
            event['play'] = self._play.get_name()
            event['play_uuid'] = self._play._uuid
        for key, value in fields.items():
            if value is not None:
                event[key] = value
        event = self._mask(event)
        offset = self._output_offset()
        if offset is not None:
            event['stdout_offset'] = offset
        self._file.write(_dumps(event) + '\n')
        self._file.flush()

    # -- pieces of events ------------------------------------------------------------------------------

    @staticmethod
    def _task_fields(task):
        if task is None:
            return {}
        role = getattr(task, '_role', None)
        return {
            'task': task.get_name(),
            'task_uuid': task._uuid,
            'task_action': task.action,
            'role': role.get_name() if role is not None else None,
        }

    def _censor(self, result, task):
        if (task is not None and getattr(task, 'no_log', False) is True) or result.get('_ansible_no_log'):
            censored = {key: result[key] for key in PRESERVED_KEYS if key in result}
            censored['censored'] = CENSORED
            if isinstance(result.get('results'), list):
                censored['results'] = [
                    {**{k: r[k] for k in PRESERVED_KEYS if k in r}, 'censored': CENSORED}
                    if isinstance(r, dict) and r.get('_ansible_no_log') else r
                    for r in result['results']
                ]
            return censored
        return result

    @staticmethod
    def _strip_internal(result):
        """Drops Ansible's internal `_ansible_*` keys, as its own output does (loop results too)."""
        clean = {k: v for k, v in result.items() if not (isinstance(k, str) and k.startswith('_ansible_'))}
        if isinstance(clean.get('results'), list):
            clean['results'] = [
                {k: v for k, v in r.items() if not (isinstance(k, str) and k.startswith('_ansible_'))}
                if isinstance(r, dict) else r
                for r in clean['results']
            ]
        return clean

    def _trim(self, result):
        """Returns (result, trimmed): the result as JSON-ready data, cut down when larger than the limit."""
        text = _dumps(result)
        if self._max_bytes <= 0 or len(text.encode('utf-8', errors='replace')) <= self._max_bytes:
            return json.loads(text), False
        limit = max(self._max_bytes // 4, 64)
        trimmed = {key: result[key] for key in TRIM_KEEP_KEYS if key in result}
        for key in TRIM_TEXT_KEYS:
            if key in result:
                value = result[key] if isinstance(result[key], str) else _dumps(result[key])
                trimmed[key] = value[:limit] + ('...' if len(value) > limit else '')
        trimmed['original_size'] = len(text)
        return json.loads(_dumps(trimmed)), True

    def _result_event(self, event_type, result, **extra):
        host = _attribute(result, 'host')
        task = _attribute(result, 'task')
        data = _attribute(result, 'result')
        data = dict(data) if data is not None else {}
        data = self._strip_internal(self._censor(data, task))
        # Masked before trimming: a secret cut in half by the trim would no longer be found.
        if self._secrets:
            data = self._mask(json.loads(_dumps(data)))
        res, trimmed = self._trim(data)
        host_name = host.get_name() if host is not None else None
        task_uuid = task._uuid if task is not None else None
        ended = _now()
        fields = dict(self._task_fields(task))
        if event_type in ('runner_on_ok', 'runner_on_failed', 'runner_on_skipped', 'runner_on_unreachable'):
            started = self._started.pop((host_name, task_uuid), None)
            if started is not None:
                fields['started_at'] = _stamp(started)
                fields['duration'] = (ended - started).total_seconds()
            fields['ended_at'] = _stamp(ended)
        self._emit(event_type, moment=ended, host=host_name, parent_uuid=task_uuid, result=res,
                   result_trimmed=True if trimmed else None, **fields, **extra)

    # -- playbook, play and task events ----------------------------------------------------------------

    def v2_playbook_on_start(self, playbook):
        self._playbook_uuid = str(uuid.uuid4())
        self._emit('playbook_on_start', data={
            'playbook': getattr(playbook, '_file_name', None),
            'playbook_uuid': self._playbook_uuid,
            'pid': os.getpid(),
        })

    def v2_playbook_on_play_start(self, play):
        self._play = play
        self._emit('playbook_on_play_start', parent_uuid=self._playbook_uuid, data={
            'hosts': play.hosts if isinstance(play.hosts, (str, list)) else str(play.hosts),
            'strategy': getattr(play, 'strategy', None),
        })

    def _task_start(self, event_type, task, **extra):
        self._task = task
        self._emit(event_type, parent_uuid=self._play._uuid if self._play is not None else None,
                   **self._task_fields(task), **extra)

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._task_start('playbook_on_task_start', task, data={'is_conditional': bool(is_conditional)})

    def v2_playbook_on_handler_task_start(self, task):
        self._task_start('playbook_on_handler_task_start', task)

    def v2_playbook_on_cleanup_task_start(self, task):
        self._task_start('playbook_on_cleanup_task_start', task)

    def v2_playbook_on_no_hosts_matched(self):
        self._emit('playbook_on_no_hosts_matched', parent_uuid=self._play._uuid if self._play is not None else None)

    def v2_playbook_on_no_hosts_remaining(self):
        self._emit('playbook_on_no_hosts_remaining', parent_uuid=self._play._uuid if self._play is not None else None)

    def v2_playbook_on_notify(self, handler, host):
        self._emit('playbook_on_notify', host=host.get_name() if host is not None else None,
                   parent_uuid=self._task._uuid if self._task is not None else None,
                   data={'handler': handler.get_name(), 'handler_uuid': handler._uuid})

    def v2_playbook_on_include(self, included_file):
        task = getattr(included_file, '_task', None)
        hosts = [h.get_name() for h in getattr(included_file, '_hosts', [])]
        self._emit('playbook_on_include', parent_uuid=task._uuid if task is not None else None,
                   **self._task_fields(task),
                   data={'file': getattr(included_file, '_filename', None), 'hosts': hosts})

    def v2_playbook_on_vars_prompt(self, varname, private=True, prompt=None, encrypt=None, confirm=False,
                                   salt_size=None, salt=None, default=None, unsafe=None):
        self._emit('playbook_on_vars_prompt', data={'varname': varname, 'private': bool(private)})

    def v2_playbook_on_stats(self, stats):
        hosts = sorted(stats.processed.keys())
        summary = {host: stats.summarize(host) for host in hosts}
        data = {'stats': summary}
        custom = getattr(stats, 'custom', None)
        if custom:
            data['custom'] = json.loads(_dumps(custom))
        self._emit('playbook_on_stats', parent_uuid=self._playbook_uuid, data=data)

    # -- runner events -----------------------------------------------------------------------------------

    def v2_runner_on_start(self, host, task):
        moment = _now()
        self._started[(host.get_name(), task._uuid)] = moment
        self._emit('runner_on_start', moment=moment, host=host.get_name(), parent_uuid=task._uuid,
                   started_at=_stamp(moment), **self._task_fields(task))

    def v2_runner_on_ok(self, result):
        self._result_event('runner_on_ok', result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._result_event('runner_on_failed', result, ignore_errors=bool(ignore_errors))

    def v2_runner_on_skipped(self, result):
        self._result_event('runner_on_skipped', result)

    def v2_runner_on_unreachable(self, result):
        self._result_event('runner_on_unreachable', result)

    def v2_runner_item_on_ok(self, result):
        self._result_event('runner_item_on_ok', result)

    def v2_runner_item_on_failed(self, result):
        self._result_event('runner_item_on_failed', result)

    def v2_runner_item_on_skipped(self, result):
        self._result_event('runner_item_on_skipped', result)

    def v2_runner_retry(self, result):
        self._result_event('runner_retry', result)

    def v2_runner_on_async_poll(self, result):
        self._result_event('runner_on_async_poll', result)

    def v2_runner_on_async_ok(self, result):
        self._result_event('runner_on_async_ok', result)

    def v2_runner_on_async_failed(self, result):
        self._result_event('runner_on_async_failed', result)

    def v2_on_file_diff(self, result):
        self._result_event('on_file_diff', result)
