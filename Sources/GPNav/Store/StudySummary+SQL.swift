extension StudySummary {
    /// Every trial's study, state, accuracy and metrics, and `admitted`: whether it is complete and
    /// within its study's budgets (weight memory ceil(params * bits / 8) bytes). SQL that SQLite
    /// and PostgreSQL read alike, so that both stores judge a summary's best the same way.
    static let judgedTrialsSQL = """
        (SELECT t.study_id, t.state, t.accuracy, t.metrics,
                t.state = 'complete'
                AND (s.budget_macs IS NULL OR t.macs <= s.budget_macs)
                AND (s.budget_params IS NULL OR t.params <= s.budget_params)
                AND (s.budget_memory_bytes IS NULL
                     OR (t.params * COALESCE(s.budget_bits, 32) + 7) / 8 <= s.budget_memory_bytes) AS admitted
         FROM trials t JOIN studies s ON s.id = t.study_id) AS judged
        """
}
