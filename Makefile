# The front door: everyday commands. Real work lives in scripts/.

# Patient conversations must never leave this machine: Rasa's telemetry and error reports stay off.
export RASA_TELEMETRY_ENABLED := false
.PHONY: run test test-fast setup train shell bench bench-load purge forget lint format

run:      ## set up, train if stale, start the action server and the Rasa server
	scripts/run.sh

test:     ## the whole test suite (what CI runs)
	scripts/test.sh

test-fast: setup  ## the fast loop: every test that needs no trained model and no server (never trains)
	.venv/bin/python -m pytest -q -m unit -n 2

setup:    ## create .venv (Python 3.10) and install the pinned requirements
	scripts/setup.sh

train: setup  ## train the model if it is missing or stale
	.venv/bin/python scripts/train_if_stale.py

shell:    ## chat in the terminal
	scripts/shell.sh

bench: setup  ## NLU quality, red-flag recall, REST latency and training time
	.venv/bin/python -m scripts.bench

bench-load: train  ## simulated patients at 1/8/32/64 at once: one server (SQLite), two replicas (PostgreSQL + Redis)
	.venv/bin/python -m scripts.bench_load

purge: setup  ## delete conversations older than RETENTION_DAYS (default 30)
	set -a; [ ! -f .env ] || . ./.env; set +a; .venv/bin/python -m scripts.purge_conversations

forget: setup  ## delete one patient's conversation everywhere: make forget SENDER=<sender id>
	set -a; [ ! -f .env ] || . ./.env; set +a; .venv/bin/python -m scripts.forget_conversation "$(SENDER)"

lint: setup
	.venv/bin/ruff format --check .
	.venv/bin/ruff check .
	.venv/bin/lint-imports

format: setup
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .
