extension DashboardScript {
    /// `trials-grid.js`: the trials grid with its sorting and filters.
    static let trialsGrid = #"""
        // The trials grid: every trial of a study, sorted by any column (the header buttons; again for the
        // other direction) and filtered by state and by text in any cell.

        import { architectureText, cell, duration, localTime, percent, si, trialSeconds } from './format.js';

        const COLUMNS = [
          { key: 'number', label: 'Trial', numeric: true },
          { key: 'state', label: 'State' },
          { key: 'accuracy', label: 'Accuracy (%)', numeric: true, text: (t) => percent(t.accuracy) },
          { key: 'macs', label: 'MACs', numeric: true, text: (t) => si(t.macs) },
          { key: 'params', label: 'Params', numeric: true, text: (t) => si(t.params) },
          { key: 'resolution', label: 'Resolution', numeric: true },
          { key: 'width', label: 'Width', numeric: true },
          { key: 'architecture', label: 'Depths and other factors', value: architectureText },
          { key: 'proposal', label: 'Proposed by', value: (t) => (t.step === null || t.step === undefined ? t.proposal : `${t.proposal} ${t.step}`) },
          { key: 'predicted_accuracy', label: 'Predicted (%)', numeric: true, text: (t) => percent(t.predicted_accuracy) },
          { key: 'started_at', label: 'Started', text: (t) => localTime(t.started_at) },
          { key: 'duration', label: 'Duration', numeric: true, value: trialSeconds, text: (t) => duration(trialSeconds(t)) },
          { key: 'error', label: 'Error', text: (t) => (t.error ? t.error.slice(0, 80) : '') },
        ];

        const valueOf = (column, trial) => (column.value ? column.value(trial) : trial[column.key]);

        function textOf(column, trial) {
          if (column.text) return column.text(trial);
          const value = valueOf(column, trial);
          return value === null || value === undefined ? '—' : String(value);
        }

        export class TrialsGrid {
          constructor({ table, stateFilter, textFilter, count }) {
            Object.assign(this, { table, stateFilter, textFilter, count });
            this.sort = { key: 'number', desc: false };
            this.trials = [];
            this.table.tHead.rows[0].replaceChildren(...COLUMNS.map((column) => this.header(column)));
            stateFilter.addEventListener('change', () => this.render());
            textFilter.addEventListener('input', () => this.render());
          }

          header(column) {
            const th = document.createElement('th');
            th.scope = 'col';
            if (column.numeric) th.className = 'num';
            const button = document.createElement('button');
            button.type = 'button';
            button.className = 'sort';
            button.dataset.key = column.key;
            button.textContent = column.label;
            button.addEventListener('click', () => {
              this.sort = { key: column.key, desc: this.sort.key === column.key ? !this.sort.desc : false };
              this.render();
            });
            th.append(button);
            return th;
          }

          show(trials) {
            this.trials = trials;
            this.render();
          }

          compare(a, b) {
            // Missing values last, whichever the direction.
            if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
            if (b === null || b === undefined) return -1;
            const order = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
            return this.sort.desc ? -order : order;
          }

          render() {
            const column = COLUMNS.find((candidate) => candidate.key === this.sort.key) || COLUMNS[0];
            const wanted = this.stateFilter.value;
            const needle = this.textFilter.value.trim().toLowerCase();
            const shown = this.trials.filter((trial) => (!wanted || trial.state === wanted)
              && (!needle || COLUMNS.some((c) => textOf(c, trial).toLowerCase().includes(needle))))
              .sort((a, b) => this.compare(valueOf(column, a), valueOf(column, b)) || a.number - b.number);
            this.table.tBodies[0].replaceChildren(...shown.map((trial) => {
              const row = document.createElement('tr');
              row.dataset.number = String(trial.number);
              row.append(...COLUMNS.map((c) => cell(textOf(c, trial), {
                numeric: Boolean(c.numeric), className: c.key === 'state' ? `state-${trial.state}` : '',
                title: c.key === 'error' && trial.error ? trial.error : '',
              })));
              return row;
            }));
            for (const th of this.table.tHead.rows[0].cells) {
              if (th.firstChild.dataset.key === this.sort.key) th.setAttribute('aria-sort', this.sort.desc ? 'descending' : 'ascending');
              else th.removeAttribute('aria-sort');
            }
            this.count.textContent = `${shown.length} of ${this.trials.length} trials shown`;
          }
        }
        """#
}
