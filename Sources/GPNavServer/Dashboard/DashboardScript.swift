/// The dashboard's scripts, JavaScript modules without any library or build step: `main` signs
/// in, polls `/dashboard/live`, reads the `/v1` read routes, and fills in the page
/// (``DashboardPage``); `format`, `trialsGrid` and `studyViews` (the pictures and the factor
/// relevance, in their own files) are the modules it imports.
enum DashboardScript {
    static let main = #"""
        // The gpnav dashboard: reads the API of the server that served this page, and nothing else.
        // The token lives in this tab's session storage, goes out only as a bearer header to this
        // origin, and never appears in an address. Data reaches the page as text nodes, never as HTML.

        import { STATES, ago, budgetText, cell, duration, fact, localTime, percent, si, trialSeconds } from './format.js';
        import { TrialsGrid } from './trials-grid.js';
        import { StudyViews } from './study-views.js';

        const TOKEN_KEY = 'gpnav.dashboard.token';
        const POLL_MS = 2000;
        const HIDDEN_POLL_MS = 15000;
        // Trials asked for beyond the snapshot's count, for those added since it was read.
        const SLACK = 8;
        const $ = (selector, root = document) => root.querySelector(selector);
        const grid = new TrialsGrid({
          table: $('#trials-table'), stateFilter: $('#state-filter'), textFilter: $('#text-filter'), count: $('#trial-count'),
        });

        const state = {
          token: sessionStorage.getItem(TOKEN_KEY),
          polling: false,
          inFlight: null,
          timer: null,
          liveTag: null,
          live: new Map(), // name -> the study's state from /dashboard/live
          studies: new Map(), // name -> the study from /v1/studies
          selected: null,
          trials: new Map(), // number -> trial of the selected study
          trialsVersion: null,
        };

        class SignedOut extends Error {}
        const views = new StudyViews({ request, errorText, signedOut: SignedOut });

        // Reads of the chosen study run one after another, whether a poll or a click started them.
        let studyQueue = Promise.resolve();
        function serially(task) {
          const run = studyQueue.then(task, task);
          studyQueue = run.catch(() => {});
          return run;
        }

        // ---- Talking to the server ----

        function sameOrigin(path) {
          const url = new URL(path, window.location.origin);
          if (url.origin !== window.location.origin) throw new Error(`refusing to send the token to ${url.origin}`);
          return url;
        }

        async function request(path, { accept = 'application/json', tag = null } = {}) {
          const headers = { Accept: accept };
          if (state.token) headers.Authorization = `Bearer ${state.token}`;
          if (tag) headers['If-None-Match'] = tag;
          const response = await fetch(sameOrigin(path), {
            headers, credentials: 'omit', cache: 'no-store', redirect: 'error', referrerPolicy: 'no-referrer',
          });
          if (response.status === 401) {
            showLogin(state.token ? 'The server refused this token.' : '');
            throw new SignedOut('signed out');
          }
          return response;
        }

        async function errorText(response) {
          try {
            const body = await response.json();
            if (body && typeof body.error === 'string') return body.error;
          } catch (_) { /* not JSON: the status says it */ }
          return `HTTP ${response.status}`;
        }

        async function readJSON(path) {
          const response = await request(path);
          if (!response.ok) throw new Error(await errorText(response));
          return response.json();
        }

        const studyPath = (name) => `/v1/studies/${encodeURIComponent(name)}`;

        function show(id) {
          for (const section of ['login', 'studies', 'study']) $(`#${section}`).hidden = section !== id;
        }

        function setStatus(text, stale = false) {
          const status = $('#live-status');
          status.textContent = text;
          status.classList.toggle('stale', stale);
        }

        // ---- Signing in ----

        function showLogin(message) {
          state.token = null;
          sessionStorage.removeItem(TOKEN_KEY);
          stopPolling();
          show('login');
          $('#sign-out').hidden = true;
          $('#login-error').textContent = message;
          setStatus('Signed out');
          $('#token').focus();
        }

        $('#login-form').addEventListener('submit', (event) => {
          event.preventDefault();
          const token = $('#token').value.trim();
          if (!token) {
            $('#login-error').textContent = 'Enter the token.';
            return;
          }
          $('#token').value = '';
          $('#login-error').textContent = '';
          state.token = token;
          sessionStorage.setItem(TOKEN_KEY, token);
          startPolling();
        });

        $('#sign-out').addEventListener('click', () => showLogin(''));

        // ---- Polling ----

        function startPolling() {
          state.polling = true;
          state.liveTag = null;
          $('#sign-out').hidden = !state.token;
          route();
          poll();
        }

        function stopPolling() {
          state.polling = false;
          clearTimeout(state.timer);
        }

        function poll() {
          if (!state.polling || state.inFlight) return;
          clearTimeout(state.timer);
          state.inFlight = refresh().then(() => {
            setStatus(`Live · checked at ${new Date().toLocaleTimeString()}`);
          }, (error) => {
            if (!(error instanceof SignedOut)) setStatus(`Not updated: ${error.message}; trying again`, true);
          }).finally(() => {
            state.inFlight = null;
            if (state.polling) state.timer = setTimeout(poll, document.hidden ? HIDDEN_POLL_MS : POLL_MS);
          });
        }

        document.addEventListener('visibilitychange', () => {
          if (!document.hidden) poll();
        });

        async function refresh() {
          const response = await request('/dashboard/live', { tag: state.liveTag });
          if (response.status !== 304) {
            if (!response.ok) throw new Error(await errorText(response));
            const body = await response.json();
            const live = new Map(body.studies.map((study) => [study.name, study]));
            if (needsStudies(state.live, live)) await loadStudies();
            state.live = live;
            if (state.selected) await serially(refreshStudy); else renderStudies();
            state.liveTag = response.headers.get('ETag');
          }
          if (state.selected) {
            renderRunning();
            const live = state.live.get(state.selected);
            // Not awaited: a view that refits the GP must not hold up the next poll.
            if (live) views.refreshDue(live);
          }
        }

        const sameCounts = (a, b) => a.trials === b.trials && STATES.every((key) => a.counts[key] === b.counts[key]);

        // /v1/studies (settings, budgets, the best trial) is read again only when a study comes or goes,
        // its best accuracy changes, or its settings do (its version changes while its counts do not).
        function needsStudies(before, after) {
          if (after.size !== state.studies.size) return true;
          for (const [name, study] of after) {
            const old = before.get(name);
            if (!old || !state.studies.has(name) || old.best_accuracy !== study.best_accuracy) return true;
            if (old.version !== study.version && sameCounts(old, study)) return true;
          }
          return false;
        }

        async function loadStudies() {
          const body = await readJSON('/v1/studies');
          state.studies = new Map(body.studies.map((study) => [study.name, study]));
        }

        // ---- The studies list ----

        function renderStudies() {
          const body = $('#studies-table tbody');
          const rows = [];
          for (const [name, live] of state.live) {
            const study = state.studies.get(name) || {};
            const row = document.createElement('tr');
            const first = document.createElement('th');
            first.scope = 'row';
            const link = document.createElement('a');
            link.href = `#study=${encodeURIComponent(name)}`;
            link.textContent = name;
            first.append(link);
            row.append(first, cell(live.family), cell(budgetText(study.budget)),
              cell(`${live.trials} / ${study.target_trials ?? '—'}`, { numeric: true }),
              ...STATES.map((key) => cell(String(live.counts[key] ?? 0), { numeric: true })),
              cell(percent(live.best_accuracy), { numeric: true }),
              cell(si(study.best ? study.best.macs : null), { numeric: true }));
            rows.push(row);
          }
          body.replaceChildren(...rows);
          $('#no-studies').hidden = rows.length > 0;
          $('#studies-wrap').hidden = rows.length === 0;
        }

        // ---- One study ----

        function route() {
          let name = null;
          const match = /^#study=(.+)$/.exec(window.location.hash);
          if (match) {
            try { name = decodeURIComponent(match[1]); } catch (_) { name = null; }
          }
          if (!state.polling) return;
          if (name !== state.selected) {
            state.selected = name;
            resetStudy();
          }
          show(name ? 'study' : 'studies');
          document.title = name ? `${name} · gpnav dashboard` : 'gpnav dashboard';
          if (name) {
            $('#study-title').textContent = name;
            renderStudyFacts();
            serially(refreshStudy).catch((error) => {
              if (!(error instanceof SignedOut)) setStatus(`Not updated: ${error.message}`, true);
            });
          } else {
            renderStudies();
          }
        }

        window.addEventListener('hashchange', () => {
          route();
          $('#main').focus();
        });

        function resetStudy() {
          state.trials = new Map();
          state.trialsVersion = null;
          views.reset(state.selected);
          grid.show([]);
          $('#running-table tbody').replaceChildren();
          fillFactors();
        }

        function fillFactors() {
          const live = state.live.get(state.selected);
          const factors = live ? live.factors : [];
          for (const [id, index] of [['#cube-x', 0], ['#cube-y', 1]]) {
            const select = $(id);
            const chosen = select.value;
            select.replaceChildren(...factors.map((factor) => new Option(factor, factor)));
            select.value = factors.includes(chosen) && select.dataset.study === state.selected ? chosen : (factors[index] || '');
            select.dataset.study = state.selected || '';
          }
        }

        async function refreshStudy() {
          const name = state.selected;
          const live = state.live.get(name);
          if (!live) {
            const facts = $('#study-facts');
            facts.replaceChildren();
            fact(facts, 'Study', state.live.size || state.liveTag ? 'no study of this name (yet)' : 'loading…');
            return;
          }
          if ($('#cube-x').options.length === 0) fillFactors();
          renderRunning();
          if (live.version === state.trialsVersion) return;
          await loadTrials(name, live);
          if (name !== state.selected) return;
          state.trialsVersion = live.version;
          renderStudyFacts();
          grid.show([...state.trials.values()]);
          views.fillObjectives(state.studies.get(name), [...state.trials.values()]);
          views.refreshAll(live);
        }

        // Only what changed is read again: trials added since the last read, and those that were running
        // and are not any more; the whole list when the counts then disagree with the server's.
        async function loadTrials(name, live) {
          const known = state.trials;
          let whole = known.size === 0 || live.trials < known.size;
          if (!whole) {
            const running = new Set(live.running.map((trial) => trial.number));
            let from = known.size;
            for (const trial of known.values()) {
              if (trial.state === 'running' && !running.has(trial.number)) from = Math.min(from, trial.number);
            }
            const limit = live.trials - from + SLACK;
            const body = await readJSON(`${studyPath(name)}/trials?sort=number&desc=true&limit=${limit}`);
            for (const trial of body.trials) known.set(trial.number, trial);
            const reached = body.trials.length < limit || body.trials.some((trial) => trial.number <= from);
            whole = !reached || (known.size === live.trials && !agrees(known, live));
          }
          if (whole) {
            const body = await readJSON(`${studyPath(name)}/trials`);
            if (name === state.selected) state.trials = new Map(body.trials.map((trial) => [trial.number, trial]));
          }
        }

        function agrees(trials, live) {
          const counts = {};
          for (const trial of trials.values()) counts[trial.state] = (counts[trial.state] || 0) + 1;
          return STATES.every((key) => (counts[key] || 0) === (live.counts[key] || 0));
        }

        function renderStudyFacts() {
          const name = state.selected;
          const study = state.studies.get(name);
          const live = state.live.get(name);
          const facts = $('#study-facts');
          facts.replaceChildren();
          if (!study || !live) return;
          const spent = [...state.trials.values()].map(trialSeconds).filter((seconds) => seconds !== null)
            .reduce((sum, seconds) => sum + seconds, 0);
          fact(facts, 'Family', live.family);
          fact(facts, 'Budget', budgetText(study.budget));
          fact(facts, 'Trials / target', `${live.trials} / ${study.target_trials}`);
          fact(facts, 'By state', STATES.map((key) => `${live.counts[key] ?? 0} ${key}`).join(', '));
          fact(facts, 'Best within budget', study.best
            ? `${percent(study.best.accuracy)} % (trial ${study.best.number}, ${si(study.best.macs)} MACs)` : '—');
          fact(facts, 'Training time of finished trials', duration(spent));
          fact(facts, 'Evaluator', study.evaluator);
          fact(facts, 'Objectives', (study.objectives || []).join(', '));
          fact(facts, 'Created', localTime(study.created_at));
        }

        function renderRunning() {
          const live = state.live.get(state.selected);
          const running = live ? live.running : [];
          const rows = running.map((trial) => {
            const row = document.createElement('tr');
            row.append(cell(String(trial.number), { numeric: true }), cell(trial.worker || 'unknown'),
              cell(ago(trial.started_at), { title: localTime(trial.started_at) }),
              cell(trial.heartbeat_at ? ago(trial.heartbeat_at) : 'none yet', { title: localTime(trial.heartbeat_at) }));
            return row;
          });
          $('#running-table tbody').replaceChildren(...rows);
          $('#running-table').hidden = rows.length === 0;
          $('#no-running').hidden = rows.length > 0;
        }

        // The server's own CSV export (the CSV of `gpnav trials`), of every trial or of the chosen state.
        $('#download-csv').addEventListener('click', async () => {
          const name = state.selected;
          const wanted = $('#state-filter').value;
          try {
            const query = wanted ? `?state=${encodeURIComponent(wanted)}` : '';
            const response = await request(`${studyPath(name)}/trials${query}`, { accept: 'text/csv' });
            if (!response.ok) throw new Error(await errorText(response));
            const url = URL.createObjectURL(await response.blob());
            const link = document.createElement('a');
            link.href = url;
            link.download = `${name.replace(/[^A-Za-z0-9._-]+/g, '_')}-trials${wanted ? `-${wanted}` : ''}.csv`;
            document.body.append(link);
            link.click();
            link.remove();
            setTimeout(() => URL.revokeObjectURL(url), 60000);
          } catch (error) {
            if (!(error instanceof SignedOut)) $('#trial-count').textContent = `CSV not downloaded: ${error.message}`;
          }
        });

        // ---- Pictures ----

        for (const [form, id] of [['#cube-form', 'cube'], ['#pareto-form', 'pareto']]) {
          $(form).addEventListener('change', () => {
            views.refresh(id, state.live.get(state.selected), { force: true }).catch(() => {});
          });
          $(form).addEventListener('submit', (event) => event.preventDefault());
        }

        // ---- Start ----

        startPolling();
        """#
}
