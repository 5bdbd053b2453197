"""A real WordPress for the tests: Debian's wordpress package served by `php -S`, on a MariaDB server of its own.

Everything lives in one temporary folder that is removed afterwards: the database files, a copy of
/usr/share/wordpress with a wp-config.php of ours (Debian's own reads /etc/wordpress/config-<host>.php,
which we leave alone), its wp-content and the servers' logs. Nothing of the machine's configuration changes.
CI installs the packages (.ci/run): wordpress, wordpress-theme-twentytwentythree, mariadb-server, php-cli,
php-mysql.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests

WORDPRESS = Path("/usr/share/wordpress")
MARIADBD = Path("/usr/sbin/mariadbd")
THEME = WORDPRESS / "wp-content" / "themes" / "twentytwentythree"
ADMIN = "bantin-admin"
PACKAGES = "wordpress wordpress-theme-twentytwentythree mariadb-server php-cli php-mysql"


def missing_parts() -> list[str]:
    """What this machine lacks to run the WordPress tests (empty: all there)."""
    needed = {"php": shutil.which("php"), "mariadb-install-db": shutil.which("mariadb-install-db"),
              "mariadb": shutil.which("mariadb"), str(MARIADBD): MARIADBD.is_file() or None,
              str(WORDPRESS / "wp-settings.php"): (WORDPRESS / "wp-settings.php").is_file() or None,
              str(THEME): THEME.is_dir() or None}
    parts = [name for name, found in needed.items() if not found]
    if shutil.which("php") and not parts:
        mods = subprocess.run(["php", "-m"], capture_output=True, text=True).stdout.split()
        if "mysqli" not in mods:
            parts.append("php-mysql (mysqli)")
    return parts


@dataclass
class WordPressSite:
    url: str  # http://127.0.0.1:PORT/
    user: str
    password: str  # the application password bantin publishes with
    admin_password: str  # the account's login password (never accepted by the REST API as Basic auth)
    root: Path

    def get(self, route: str, auth: bool = True, **params: object) -> requests.Response:
        """A REST API read, as bantin (auth) or as an anonymous reader."""
        return requests.get(self.url, params={"rest_route": route, **params},
                            auth=(self.user, self.password) if auth else None, timeout=30)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(check, what: str, log: Path, seconds: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
    raise RuntimeError(f"{what} did not start within {seconds:.0f} s\n{tail}")


def _answers(url: str) -> bool:
    try:
        requests.get(url, timeout=2, allow_redirects=False)
        return True
    except requests.RequestException:
        return False


def _config(base: Path, port: int, sock: Path, db_password: str) -> str:
    keys = "\n".join(f"define('{k}', '{secrets.token_hex(24)}');" for k in (
        "AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY", "AUTH_SALT", "SECURE_AUTH_SALT",
        "LOGGED_IN_SALT", "NONCE_SALT"))
    return f"""<?php
// Written by bantin's tests for a WordPress that lives in {base} for one test session.
define('DB_NAME', 'wordpress');
define('DB_USER', 'wordpress');
define('DB_PASSWORD', '{db_password}');
define('DB_HOST', 'localhost:{sock}');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
define('WP_HOME', 'http://127.0.0.1:{port}');
define('WP_SITEURL', 'http://127.0.0.1:{port}');
// 'local' lets WordPress 6.1 offer application passwords over plain http (a real site uses https).
define('WP_ENVIRONMENT_TYPE', 'local');
define('WP_CONTENT_DIR', '{base}/wordpress/wp-content');
// No Internet here: no update checks, no cron calling itself, no requests leaving the machine.
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);
define('DISABLE_WP_CRON', true);
{keys}
$table_prefix = 'wp_';
if (!defined('ABSPATH')) {{ define('ABSPATH', __DIR__ . '/'); }}
require_once ABSPATH . 'wp-settings.php';
"""


APP_PASSWORD_PHP = """<?php
// Make an application password for a user, as Users > Profile > Application Passwords does.
define('WP_USE_THEMES', false);
$_SERVER['HTTP_HOST'] = '127.0.0.1';
require $argv[1] . '/wp-load.php';
$user = get_user_by('login', $argv[2]);
$made = WP_Application_Passwords::create_new_application_password($user->ID, array('name' => $argv[3]));
if (is_wp_error($made)) { fwrite(STDERR, $made->get_error_message()); exit(1); }
echo $made[0];
"""


class RunningWordPress:
    """Start MariaDB and WordPress in a temporary folder; `stop` ends both and removes the folder."""

    def __init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="bantin-wp-"))
        self.procs: list[subprocess.Popen] = []

    def start(self) -> WordPressSite:
        base = self.base
        data, sock = base / "mysql", base / "mysql.sock"
        as_root = ["--user=root"] if os.geteuid() == 0 else []  # mariadbd refuses root unless told so
        subprocess.run(["mariadb-install-db", "--no-defaults", f"--datadir={data}", *as_root,
                        "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve"],
                       check=True, capture_output=True)
        db_log = base / "mariadb.log"
        self.procs.append(subprocess.Popen(
            [str(MARIADBD), "--no-defaults", f"--datadir={data}", *as_root, f"--socket={sock}", "--skip-networking",
             f"--pid-file={base / 'mariadb.pid'}", f"--log-error={db_log}", "--skip-log-bin",
             # A test database: speed over durability.
             "--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0", "--innodb-buffer-pool-size=32M",
             "--skip-name-resolve"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        _wait(lambda: sock.exists() and self._sql("SELECT 1", sock) == 0, "MariaDB", db_log)
        db_password = secrets.token_hex(12)
        if self._sql("CREATE DATABASE wordpress CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci; "
                     f"CREATE USER 'wordpress'@'localhost' IDENTIFIED BY '{db_password}'; "
                     "GRANT ALL ON wordpress.* TO 'wordpress'@'localhost';", sock) != 0:
            raise RuntimeError("could not create the WordPress database")

        root = base / "wordpress"
        shutil.copytree(WORDPRESS, root, symlinks=True)
        (root / "wp-config.php").unlink()  # Debian's, which looks in /etc/wordpress: ours replaces the copy
        port = _free_port()
        (root / "wp-config.php").write_text(_config(base, port, sock, db_password), encoding="utf-8")
        (root / "wp-content" / "uploads").mkdir(exist_ok=True)
        url = f"http://127.0.0.1:{port}/"
        web_log = base / "php.log"
        with open(web_log, "wb") as log:
            # Several workers: WordPress calls itself while installing (the pretty-permalink probe).
            self.procs.append(subprocess.Popen(["php", "-S", f"127.0.0.1:{port}", "-t", str(root)],
                                               stdout=log, stderr=subprocess.STDOUT, cwd=root,
                                               env={**os.environ, "PHP_CLI_SERVER_WORKERS": "4"},
                                               start_new_session=True))  # its workers go with it (killpg)
        _wait(lambda: _answers(url), "php -S", web_log)

        admin_password = secrets.token_urlsafe(18)
        # The install form, as a person fills it in (wp-admin/install.php, step 2).
        resp = requests.post(f"{url}wp-admin/install.php?step=2", timeout=120, data={
            "weblog_title": "Cổng thông tin điện tử huyện Võ Nhai (thử)", "user_name": ADMIN,
            "admin_password": admin_password, "admin_password2": admin_password, "pw_weak": "1",
            "admin_email": "bantin@example.org", "blog_public": "0", "language": ""})
        if resp.status_code != 200 or "wp-login.php" not in resp.text:
            raise RuntimeError(f"WordPress install failed: HTTP {resp.status_code}\n{resp.text[-2000:]}")
        script = base / "app-password.php"
        script.write_text(APP_PASSWORD_PHP, encoding="utf-8")
        made = subprocess.run(["php", str(script), str(root), ADMIN, "bantin"], capture_output=True, text=True,
                              timeout=60)
        if made.returncode != 0 or not made.stdout.strip():
            raise RuntimeError(f"could not make an application password: {made.stderr[-2000:]}")
        return WordPressSite(url, ADMIN, made.stdout.strip(), admin_password, root)

    @staticmethod
    def _sql(statement: str, sock: Path) -> int:
        return subprocess.run(["mariadb", "--no-defaults", f"--socket={sock}", "-uroot", "-e", statement],
                              capture_output=True).returncode

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                self._signal(proc, signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self._signal(proc, signal.SIGKILL)
                    proc.wait()
            if proc.args[0] == "php":  # the server's forked workers, in the process group it leads
                self._signal(proc, signal.SIGKILL)
        shutil.rmtree(self.base, ignore_errors=True)

    @staticmethod
    def _signal(proc: subprocess.Popen, sig: int) -> None:
        try:
            if proc.args[0] == "php":
                os.killpg(proc.pid, sig)
            else:
                proc.send_signal(sig)
        except ProcessLookupError:
            pass
