"""The background worker: django-tasks-db's ``db_worker`` with a beat.

    manage.py worker                 (systemd: deploy/systemd/sifa-worker.service; `make run`)
    manage.py worker --sweep         mark failed the tasks of dead workers once, and exit

Same options as ``db_worker`` (queues, interval, --batch, --max-tasks,
--worker-id). While it runs it stamps its beat every few seconds and sweeps
the tasks of workers that died (sifa.common.worker; docs/adr/0018).
"""

import os
from argparse import ArgumentTypeError

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import logger, valid_backend_name

from sifa.common import worker


class Command(DbWorkerCommand):
    help = "运行后台任务进程（django-tasks-db 的 db_worker，另带心跳与失联进程检测）。"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--sweep", action="store_true", help="只检测一次失联的后台进程并将其任务标记为失败，然后退出。")
        # The backend is checked in handle(): --sweep needs none, and db_worker's
        # check of the default would refuse it where jobs run inside the request.
        for action in parser._actions:
            if action.dest == "backend_name":
                action.type = str

    def handle(self, *, sweep=False, **options):
        if sweep:
            dead = worker.sweep()
            self.stdout.write(f"失联后台进程的任务已标记为失败：{len(dead)} 个。")
            return
        try:
            valid_backend_name(options["backend_name"])
        except ArgumentTypeError as exc:
            raise CommandError(str(exc)) from None
        self.configure_logging(options["verbosity"])
        reload, batch = options["reload"], options["batch"]
        if reload and batch:
            logger.warning("Warning: --reload and --batch cannot be specified together. Disabling autoreload.")
            reload = False
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        # As db_worker's own handle(), with the beating Worker in place of its Worker.
        w = worker.beating_worker_class()(
            queue_names=queue_names,
            interval=options["interval"],
            batch=batch,
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                w.configure_signals()
            run_with_reloader(w.run)
        else:
            w.configure_signals()
            w.run()
