-- Evidence strength of each finding (issue 14): how firmly its record establishes that the
-- supplier got the contract ('official_record' | 'official_list' | 'researchers_table' |
-- 'press_report' | 'vendor_statement'), and the strongest of its listings' own strengths.
-- strength_rank orders them, strongest (0) first: the read model, the briefing and the
-- dashboard order findings by it, then by severity and score. Rows saved before this
-- migration read as official records until the next screen rewrites them.
ALTER TABLE findings ADD COLUMN IF NOT EXISTS evidence_strength VARCHAR DEFAULT 'official_record';
ALTER TABLE findings ADD COLUMN IF NOT EXISTS strength_rank INTEGER DEFAULT 0;
ALTER TABLE findings ADD COLUMN IF NOT EXISTS listing_strength VARCHAR DEFAULT 'official_list';
