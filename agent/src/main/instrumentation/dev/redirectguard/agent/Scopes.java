package dev.redirectguard.agent;

import dev.redirectguard.config.Mode;
import dev.redirectguard.config.Settings;
import dev.redirectguard.rules.Rule;
import dev.redirectguard.rules.RuleScope;
import dev.redirectguard.rules.Target;

/** The enforce scope of one hop: the settings' enforceRules, enforceTargets and enforceCallers. */
final class Scopes {
    private Scopes() {
    }

    /** null in audit (nothing is enforced); in enforce, which rules this hop enforces. */
    static RuleScope of(Settings settings, Target target, String caller) {
        return settings.mode() != Mode.ENFORCE ? null : new ForHop(settings, target, caller);
    }

    /** {@code scope}, and {@code rule} enforced whatever it says (a decision this hop already took). */
    static RuleScope alsoEnforcing(final RuleScope scope, final Rule rule) {
        return new RuleScope() {
            @Override
            public String outOfScope(Rule r) {
                return r == rule ? null : scope == null ? "rule" : scope.outOfScope(r);
            }
        };
    }

    private static final class ForHop implements RuleScope {
        private final Settings settings;
        private final Target target;
        private final String caller;

        ForHop(Settings settings, Target target, String caller) {
            this.settings = settings;
            this.target = target;
            this.caller = caller;
        }

        @Override
        public String outOfScope(Rule rule) {
            return target == null ? settings.outOfScope(rule, null, -1, caller)
                    : settings.outOfScope(rule, target.host(), target.port(), caller);
        }
    }
}
