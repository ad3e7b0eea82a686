# newspipe — every target installs what is missing first.
# PYTHON: the interpreter that makes .venv (3.11 or newer), e.g. make PYTHON=python3.12; it takes effect on a
# new .venv (make clean-venv first to change an existing one).
PYTHON ?= python3
VENV   := .venv
# (VENV from the command line only, make VENV=DIR: a VENV in the environment is not taken for the folder to make)
# A folder name with a space is refused: the recipes' shell split it, and 'rm -rf My venv' removed My and ./venv
# (review: make install or make clean-venv VENV="My venv" destroyed the folder My)
ifneq ($(words $(VENV)),1)
$(error VENV='$(VENV)' must name one folder, without spaces (e.g. make VENV=.venv2): nothing was done)
endif
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
STAMP  := $(VENV)/.installed-stamp

.PHONY: install test run demo eval clean-venv

install: $(STAMP)

# A working .venv is used as it is (PYTHON is not asked again after a pull: review). A venv that could not be
# made (no ensurepip: Debian/Ubuntu need the python3-venv package) is removed, not left half-made for the next
# make to trip on; a folder that is no venv is never removed; a venv without pip (made so before) is made again. An install that fails
# (the network, a build) says what to do. kiwipiepy-model ships only as an 88 MB sdist; building it without build
# isolation skips a throw-away environment per build (setuptools is installed into the venv first). setuptools'
# "Editable installation ... Please be careful" banner is a note for its own developers: filtered by its text.
$(STAMP): pyproject.toml
	@if ! $(PY) -m pip --version >/dev/null 2>&1; then \
	  [ -n "$(PYTHON)" ] || { echo "make: PYTHON is empty: name an interpreter, e.g. make PYTHON=python3.12" >&2; exit 1; }; \
	  command -v $(PYTHON) >/dev/null || { \
	    echo "make: there is no $(PYTHON) here: install Python 3.11 or newer, or name one, e.g. make PYTHON=python3.12" >&2; exit 1; }; \
	  $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	    echo "make: newspipe needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) --version 2>&1): name another, e.g. make PYTHON=python3.12" >&2; exit 1; }; \
	  if [ -e $(VENV) ] && [ ! -f $(VENV)/pyvenv.cfg ]; then \
	    echo "make: $(VENV) is there but is no virtual environment (no pyvenv.cfg): move it away, or name another, e.g. make VENV=.venv2" >&2; exit 1; fi; \
	  { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); } || { rm -rf $(VENV); \
	    echo "make: '$(PYTHON) -m venv $(VENV)' failed (see above; on Debian/Ubuntu install python3-venv, e.g. sudo apt install python3-venv); nothing was left behind" >&2; exit 1; }; \
	fi
	@echo "installing newspipe and its dependencies into $(VENV) (about 1.5 minutes the first time, under a minute with pip's cache)"
	@{ $(PIP) install --disable-pip-version-check -q --upgrade pip setuptools wheel && \
	  PYTHONWARNINGS="ignore:Editable installation" $(PIP) install --disable-pip-version-check -q --no-build-isolation -e '.[test]'; } || { \
	  echo "make: the install into $(VENV) failed (the reason is above); make again goes on from what is installed, make clean-venv starts afresh" >&2; exit 1; }
	@touch $(STAMP)

# prints coverage per module (subprocesses included: [tool.coverage.run] patch = subprocess in pyproject.toml)
COV := --cov=pipeline --cov=scrapers --cov=nlp --cov=translate --cov=db --cov-report=term

test: install
	$(PY) -m pytest -q $(COV)

run: install
	$(VENV)/bin/newspipe run

demo: install
	$(VENV)/bin/newspipe demo

# extraction quality: ours beside trafilatura on the Korean pages and the 181-page benchmark, then page text:
# the labelled development set (tune and test halves beside the keep-every-line baseline) and the example page,
# read from the shared corpus beside the checkout
eval: install
	@$(PY) -m pipeline.corpus          # real pages: ../shared/corpus or $$NEWSPIPE_CORPUS; one line if missing
	$(PY) bench/eval_extraction.py --quiet
	$(PY) bench/eval_text.py

# a folder that is no venv (no pyvenv.cfg) is never removed (review: make clean-venv VENV=notavenv removed it)
clean-venv:
	@if [ -e $(VENV) ] && [ ! -f $(VENV)/pyvenv.cfg ]; then \
	  echo "make: $(VENV) is no virtual environment (no pyvenv.cfg): not removed" >&2; exit 1; fi
	rm -rf $(VENV)
