"""Analyst views over the warehouse tables (DuckDB SQL), published with the table views."""

# A user's day: LLM spend from the ledger (a row's user, else its partition's; days in UTC, as the
# ledgers are grouped); paid search answers are shared by every user asking the same query, so a day's
# paid search is split among users in proportion to their searches run that day; packages delivered
# are the distinct packages of the day's sent or written digests.
COST_PER_PACKAGE = """WITH llm AS (
     SELECT coalesce(user_id, split_part("partition", '::', 1)) AS user_id,
            timezone('UTC', "at")::DATE AS day,
            sum(coalesce(cost_usd, 0)) AS llm_usd,
            count(*) FILTER (WHERE status = 'over_budget') AS offline_after_budget
     FROM llm_calls WHERE "at" IS NOT NULL GROUP BY ALL),
   paid AS (
     SELECT user_id, timezone('UTC', "at")::DATE AS day, sum(coalesce(cost_usd, 0)) AS search_usd
     FROM api_calls WHERE "at" IS NOT NULL AND user_id IS NOT NULL GROUP BY ALL),
   delivered AS (
     SELECT user_id, day, count(DISTINCT application_id) AS packages_delivered FROM (
       SELECT user_id, digest_date AS day, unnest(application_ids) AS application_id
       FROM email_digests WHERE status IN ('sent', 'written')) GROUP BY ALL),
   days AS (
     SELECT user_id, day FROM llm UNION SELECT user_id, day FROM paid
     UNION SELECT user_id, day FROM delivered),
   spend AS (
     SELECT d.user_id, d.day, coalesce(l.llm_usd, 0) AS llm_usd,
            coalesce(p.search_usd, 0) AS search_usd,
            coalesce(l.offline_after_budget, 0) AS offline_after_budget,
            coalesce(k.packages_delivered, 0) AS packages_delivered
     FROM days d LEFT JOIN llm l USING (user_id, day) LEFT JOIN paid p USING (user_id, day)
     LEFT JOIN delivered k USING (user_id, day))
   SELECT user_id, day, llm_usd, search_usd, llm_usd + search_usd AS spend_usd, packages_delivered,
          (llm_usd + search_usd) / nullif(packages_delivered, 0) AS cost_per_package_usd,
          offline_after_budget
   FROM spend WHERE user_id IS NOT NULL ORDER BY day, user_id"""

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
    "cost_per_package": (
        "What each user's day cost (LLM + the paid searches their searches made) per delivered package.",
        COST_PER_PACKAGE,
    ),
}
