"""Analyst views over the warehouse tables (DuckDB SQL), published with the table views."""

ANALYST_VIEWS: dict[str, tuple[str, str]] = {
    "funnel_per_user": (
        "Applications per user and status.",
        "SELECT user_id, status, count(*) AS applications FROM application_tracker GROUP BY ALL ORDER BY ALL",
    ),
    "top_matches": (
        "The 10 best High matches per user (one row per posting).",
        """SELECT user_id, posting_id, title, company, score, reasons FROM (
             SELECT *, row_number() OVER (PARTITION BY user_id, posting_id ORDER BY score DESC) AS dup
             FROM screenings WHERE probability = 'High') WHERE dup = 1
           QUALIFY row_number() OVER (PARTITION BY user_id ORDER BY score DESC, posting_id) <= 10""",
    ),
    "skill_gaps": (
        "Skills a user's High and Medium matches ask for and the CV does not show, by frequency.",
        """SELECT user_id, skill, count(DISTINCT posting_id) AS postings FROM (
             SELECT user_id, posting_id, unnest(missing_skills) AS skill FROM screenings
             WHERE probability <> 'Low') GROUP BY ALL ORDER BY user_id, postings DESC, skill""",
    ),
    "market_skill_demand": (
        "How many postings found for a title name each skill.",
        """SELECT t.title, skill, count(DISTINCT s.posting_id) AS postings FROM (
             SELECT search_key, posting_id, unnest(list_concat(matched_skills, missing_skills)) AS skill
             FROM screenings) s JOIN suggested_titles t USING (search_key)
           GROUP BY ALL ORDER BY t.title, postings DESC, skill""",
    ),
    "salary_ranges": (
        "Parsed salary ranges per title, location, currency and period.",
        """SELECT t.title, p.location, p.salary_currency AS currency, p.salary_period AS period,
                  count(DISTINCT p.posting_id) AS postings, min(p.salary_min) AS low,
                  median(coalesce(p.salary_min, p.salary_max)) AS median_low, max(p.salary_max) AS high
           FROM job_postings p JOIN suggested_titles t USING (search_key)
           WHERE coalesce(p.salary_min, p.salary_max) IS NOT NULL GROUP BY ALL ORDER BY ALL""",
    ),
}
