# newspipe — every target installs what is missing first.
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
STAMP  := $(VENV)/.installed-stamp

.PHONY: install test run demo eval clean-venv

install: $(STAMP)

# kiwipiepy-model ships only as an 88 MB sdist; building it without build isolation
# skips a throw-away environment per build (setuptools is installed into the venv first).
$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PIP) install --disable-pip-version-check -q --upgrade pip setuptools wheel
	$(PIP) install --disable-pip-version-check -q --no-build-isolation -e '.[test]'
	touch $(STAMP)

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

clean-venv:
	rm -rf $(VENV)
