extension DashboardScript {
    /// `study-views.js`: the views of the chosen study that the server computes with the
    /// library's own code (pictures and the factor relevance table), asked for again only when
    /// the study changed, and no more often than their minimum interval when they refit the GP.
    static let studyViews = #"""
        // The chosen study's views, each computed by the server once per change of the study for every
        // viewer: the pictures of `gpnav plot` (history, a Pareto front of two chosen objectives, the GP's
        // cube slices, learning curves) and the factor relevance of `gpnav analyze`. The page asks again
        // only when the study changed (with If-None-Match, so an unchanged view costs a 304), and no more
        // often than the server draws it: PICTURE_MIN_MS for every view; the cube and the relevance refit
        // the GP, MODEL_MIN_MS; learning curves, which grow with every report of a running trial, every
        // CURVES_MIN_MS while trials run. The server answers with the study's version it drew the view at
        // (GPNav-Drawn-Version), older than the study's own when it drew it shortly before: the page asks
        // again once the interval has passed, so the last change of a study that goes quiet is shown too.

        const PICTURE_MIN_MS = 5000;
        const MODEL_MIN_MS = 30000;
        const CURVES_MIN_MS = 10000;
        const MIN_MS = { history: PICTURE_MIN_MS, pareto: PICTURE_MIN_MS, cube: MODEL_MIN_MS, relevance: MODEL_MIN_MS,
          curves: CURVES_MIN_MS };
        const VIEWS = ['history', 'pareto', 'cube', 'curves', 'relevance'];
        // The Pareto picture's objectives, in the order offered; epochs and latency only where the study has them.
        const OBJECTIVES = [['macs', 'MACs (min)'], ['accuracy', 'accuracy (max)'], ['params', 'parameters (min)'],
          ['epochs', 'epochs trained (min)'], ['latency', 'measured latency (min)']];
        const $ = (selector, root = document) => root.querySelector(selector);

        export class StudyViews {
          // request(path, options) and errorText(response) talk to the server; signedOut tells its sign-out error.
          constructor({ request, errorText, signedOut }) {
            this.request = request;
            this.errorText = errorText;
            this.signedOut = signedOut;
            this.study = null;
            this.held = {}; // id -> { path, tag, url }
            this.at = {}; // id -> when last asked
            this.version = {}; // id -> the study's version the view on screen was drawn at
            this.busy = {}; // id -> asked and not answered yet
            this.again = {}; // id -> to be asked again once answered (asked for while busy)
            this.failed = {}; // id -> its last answer was an error (shown as its note)
            this.live = null; // the study's state when last asked for
          }

          // Forgets the views of the study shown before `study`.
          reset(study) {
            for (const id of VIEWS) {
              const held = this.held[id];
              if (held && held.url) URL.revokeObjectURL(held.url);
              this.clear(id, '');
            }
            this.held = {};
            this.at = {};
            this.version = {};
            this.busy = {};
            this.again = {};
            this.failed = {};
            this.study = study;
          }

          // Offers the objectives the study has values for: epochs when it trains for a set length or
          // counts the epochs it spent, latency when a trial's was measured.
          fillObjectives(study, trials) {
            const has = {
              epochs: Boolean(study && ((study.settings && study.settings.epochs) || study.epochs_spent)),
              latency: trials.some((trial) => trial.metrics && Number.isFinite(trial.metrics.latency_ms)),
            };
            const offered = OBJECTIVES.filter(([key]) => has[key] !== false);
            for (const [id, fallback] of [['#pareto-x', 'macs'], ['#pareto-y', 'accuracy']]) {
              const select = $(id);
              const chosen = select.dataset.study === this.study ? select.value : fallback;
              select.replaceChildren(...offered.map(([key, label]) => new Option(label, key)));
              select.value = offered.some(([key]) => key === chosen) ? chosen : fallback;
              select.dataset.study = this.study || '';
            }
          }

          // Every view, after the study changed; those that must wait are asked for by refreshDue. The
          // views load side by side and never hold up the page's polling: errors become their notes.
          refreshAll(live) {
            for (const id of VIEWS) this.refresh(id, live).catch(() => {});
          }

          // Views whose time has come without a new change: those drawn before the study's last change
          // (they waited out their interval), and learning curves while trials run (the server draws them
          // at a version of their own then, never the study's).
          refreshDue(live) {
            for (const id of VIEWS) {
              if (live.version !== this.version[id] && this.due(id)) this.refresh(id, live).catch(() => {});
            }
          }

          due(id) {
            return Date.now() - (this.at[id] || 0) >= (MIN_MS[id] || 0);
          }

          path(id) {
            const base = `/dashboard/studies/${encodeURIComponent(this.study)}`;
            if (id === 'relevance') return `${base}/relevance.json`;
            let query = null;
            if (id === 'cube') {
              query = new URLSearchParams({ x: $('#cube-x').value, y: $('#cube-y').value });
              if ($('#cube-grid').checked) query.set('grid', 'true');
            } else if (id === 'pareto') {
              const x = $('#pareto-x').value || 'macs', y = $('#pareto-y').value || 'accuracy';
              // MACs and accuracy: the picture of `gpnav plot pareto`, with the family's published models.
              if (x !== 'macs' || y !== 'accuracy') query = new URLSearchParams({ x, y });
            }
            return `${base}/${id}.svg${query ? `?${query}` : ''}`;
          }

          // Asks for view `id` unless it is on screen and must wait; `force`: a new choice of axes. One
          // ask per view at a time: one made meanwhile is made once the answer is in, with the latest state.
          async refresh(id, live, { force = false } = {}) {
            this.live = live;
            const busy = this.busy;
            if (busy[id]) {
              this.again[id] = this.again[id] || { force };
              this.again[id].force = this.again[id].force || force;
              return;
            }
            // A view on screen, or one the server refused (a study without learning curves has none to
            // draw), waits out its interval: a refused view is not asked for again at every change.
            const held = this.held[id];
            if (!force && (held || this.failed[id]) && !this.due(id)) return;
            busy[id] = true;
            try {
              await this.ask(id, live);
            } finally {
              busy[id] = false;
              const again = busy === this.busy ? this.again[id] : null;
              if (again) {
                delete this.again[id];
                this.refresh(id, this.live, again).catch(() => {});
              }
            }
          }

          async ask(id, live) {
            const name = this.study;
            const held = this.held[id];
            this.at[id] = Date.now();
            this.version[id] = live ? live.version : null;
            const path = this.path(id);
            const accept = id === 'relevance' ? 'application/json' : 'image/svg+xml';
            try {
              const response = await this.request(path, { accept, tag: held && held.path === path ? held.tag : null });
              if (name !== this.study) return;
              this.version[id] = response.headers.get('GPNav-Drawn-Version') || this.version[id];
              if (response.status === 304) return;
              if (!response.ok) {
                const message = await this.errorText(response);
                if (name !== this.study) return;
                if (held && held.url) URL.revokeObjectURL(held.url);
                delete this.held[id];
                this.failed[id] = true;
                this.clear(id, message);
                return;
              }
              delete this.failed[id];
              const tag = response.headers.get('ETag');
              if (id === 'relevance') {
                const body = await response.json();
                if (name !== this.study) return;
                this.held[id] = { path, tag, url: null };
                this.renderRelevance(body);
                return;
              }
              const svg = await response.blob();
              if (name !== this.study) return;
              const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
              if (held && held.url) URL.revokeObjectURL(held.url);
              this.held[id] = { path, tag, url };
              const figure = $(`#picture-${id}`);
              $('img', figure).src = url;
              $('img', figure).hidden = false;
              $('.picture-note', figure).textContent = '';
            } catch (error) {
              if (error instanceof this.signedOut) throw error;
              $(`#${id === 'relevance' ? 'relevance' : `picture-${id}`} .picture-note`).textContent = `Not drawn: ${error.message}`;
            }
          }

          clear(id, message) {
            if (id === 'relevance') {
              $('#relevance-table').hidden = true;
              $('#relevance-table tbody').replaceChildren();
              $('#relevance-statements').replaceChildren();
              $('#relevance .picture-note').textContent = message;
              return;
            }
            const figure = $(`#picture-${id}`);
            $('img', figure).hidden = true;
            $('img', figure).removeAttribute('src');
            $('.picture-note', figure).textContent = message;
          }

          renderRelevance(body) {
            const percent = (share) => `${(100 * share).toFixed(1)} %`;
            const rows = body.factors.map((factor) => {
              const row = document.createElement('tr');
              const name = document.createElement('th');
              name.scope = 'row';
              name.textContent = factor.name;
              const share = document.createElement('td');
              share.className = 'num';
              const bar = document.createElement('span');
              bar.className = 'share-bar';
              bar.setAttribute('aria-hidden', 'true');
              bar.style.setProperty('--share', String(Math.max(0, Math.min(1, factor.share))));
              share.append(bar, document.createTextNode(percent(factor.share)));
              const scale = factor.length_scale === null ? '—'
                : `${Number(factor.length_scale.toPrecision(3))}${factor.at_upper_bound ? ' (at the fit’s upper bound)' : ''}`;
              const cellOf = (text) => {
                const td = document.createElement('td');
                td.className = 'num';
                td.textContent = text;
                return td;
              };
              row.append(name, share, cellOf(scale), cellOf(factor.rank === null ? '—' : String(factor.rank)));
              return row;
            });
            const pairs = body.pairs.slice(0, 3).map((pair) => `${pair.factors.join(' × ')} ${percent(pair.share)}`);
            $('#relevance-table tbody').replaceChildren(...rows);
            $('#relevance-table caption').textContent = `Each factor's share of the variance of the predicted accuracy `
              + `(GP fitted to ${body.observations} of ${body.complete_trials} complete trials); strongest pairs: `
              + `${pairs.join(', ') || 'none'}; higher orders ${percent(body.higher_order)}`;
            $('#relevance-table').hidden = false;
            $('#relevance-statements').replaceChildren(...body.statements.map((text) => {
              const item = document.createElement('li');
              item.textContent = text;
              return item;
            }));
            $('#relevance .picture-note').textContent = '';
          }
        }
        """#
}
