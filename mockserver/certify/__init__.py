"""Partner certification: the sandbox plays InsurUp, the partner's site or app drives the plan's
modules against a dedicated agent, and registered rules judge the recorded traffic (requests and
domain events) against the web-sales integration guide. ``insurup-sandbox certify`` drives it."""
