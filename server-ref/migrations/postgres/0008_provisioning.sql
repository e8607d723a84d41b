-- Stores opened by the platform operator (seed 003's tenants): a status the public API obeys
-- (a suspended store answers 403 STORE_SUSPENDED) and a plan.
ALTER TABLE stores ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'suspended'));
ALTER TABLE stores ADD COLUMN plan TEXT NOT NULL DEFAULT 'free'
    CHECK (plan IN ('free', 'basic', 'pro', 'enterprise'));
