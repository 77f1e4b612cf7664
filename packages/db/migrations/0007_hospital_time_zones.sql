-- Each hospital keeps its working day in its own time zone: most in Beijing time (Asia/Shanghai), many county
-- hospitals in Xinjiang in Xinjiang time (Asia/Urumqi, UTC+6). Roster shifts are laid in their department's
-- hospital's zone, a routing rule's time window is read in the requesting hospital's zone, and the monitoring
-- figures count days in the zone of the hospital they belong to.

-- true when Postgres knows the name as a time zone of the tz database (not an abbreviation or a POSIX offset, whose
-- signs run the other way: 'UTC+6' is six hours behind UTC)
CREATE FUNCTION is_known_time_zone(name text) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT EXISTS (SELECT 1 FROM pg_timezone_names z WHERE z.name = is_known_time_zone.name) $$;

ALTER TABLE hospitals
  ADD COLUMN time_zone text NOT NULL DEFAULT 'Asia/Shanghai'
  CONSTRAINT hospitals_time_zone_check CHECK (is_known_time_zone(time_zone));
