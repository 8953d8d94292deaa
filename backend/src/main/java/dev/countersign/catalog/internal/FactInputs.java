package dev.countersign.catalog.internal;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.countersign.common.ApiProblem.FieldError;
import java.lang.Character.UnicodeScript;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The arguments as an entry's fact expressions read them. Strings come already plain
 * ({@link dev.countersign.common.Cel#plain}); here they are lower-cased where the entry says its
 * names ignore case ({@code foldCase: true}), and an argument a fact reads is refused when it
 * cannot be classified: a word (a run of letters and marks) that mixes scripts, such as
 * {@code prоd} with a Cyrillic {@code о}, looks like one name and is another. Mixtures that
 * writing systems use themselves (Latin with Han and kana, with Han and Bopomofo, with Han and
 * Hangul) are allowed, as Unicode's "highly restrictive" level (UTS #39) allows them. Arguments no
 * fact reads (a memo, a file's contents) are left as they are: {@code 10µs} is no spoof.
 */
final class FactInputs {

    private static final List<Set<UnicodeScript>> ALLOWED_MIXTURES = List.of(
            EnumSet.of(UnicodeScript.LATIN, UnicodeScript.HAN, UnicodeScript.HIRAGANA, UnicodeScript.KATAKANA),
            EnumSet.of(UnicodeScript.LATIN, UnicodeScript.HAN, UnicodeScript.BOPOMOFO),
            EnumSet.of(UnicodeScript.LATIN, UnicodeScript.HAN, UnicodeScript.HANGUL));

    /** Every top-level argument, for expressions that read {@code args} other than by a named key. */
    static final Set<String> ALL = Set.of("*");

    private FactInputs() {
    }

    /**
     * The top-level argument names an expression reads ({@code args.database}, {@code args['database']},
     * {@code has(args.currency)}), or {@link #ALL} when it reads {@code args} some other way.
     */
    static Set<String> read(CelAbstractSyntaxTree ast) {
        Set<String> keys = new TreeSet<>();
        for (CelNavigableExpr node : CelNavigableAst.fromAst(ast).getRoot().allNodes().toList()) {
            CelExpr expr = node.expr();
            if (expr.getKind() != CelExpr.ExprKind.Kind.IDENT || !expr.ident().name().equals("args")) {
                continue;
            }
            CelExpr parent = node.parent().map(CelNavigableExpr::expr).orElse(null);
            if (parent != null && parent.getKind() == CelExpr.ExprKind.Kind.SELECT && parent.select().operand().id() == expr.id()) {
                keys.add(parent.select().field());
            } else if (parent != null && parent.getKind() == CelExpr.ExprKind.Kind.CALL && parent.call().function().equals("_[_]")
                    && parent.call().args().getFirst().id() == expr.id()
                    && parent.call().args().get(1).getKind() == CelExpr.ExprKind.Kind.CONSTANT
                    && parent.call().args().get(1).constant().getKind() == CelConstant.Kind.STRING_VALUE) {
                keys.add(parent.call().args().get(1).constant().stringValue());
            } else {
                return ALL;
            }
        }
        return keys;
    }

    /**
     * @param args     the arguments as CEL sees them (strings plain)
     * @param read     the argument names the entry's facts read
     * @param foldCase lower-case every string the facts read
     * @return the arguments for the fact expressions; errors hold an entry per argument that mixes scripts
     */
    static Map<String, Object> of(Map<String, Object> args, Set<String> read, boolean foldCase, List<FieldError> errors) {
        Map<String, Object> inputs = new LinkedHashMap<>(args);
        inputs.replaceAll((key, value) -> read == ALL || read.contains(key)
                ? checked(value, "/arguments/" + key.replace("~", "~0").replace("/", "~1"), foldCase, errors) : value);
        return inputs;
    }

    @SuppressWarnings("unchecked")
    private static Object checked(Object value, String pointer, boolean foldCase, List<FieldError> errors) {
        return switch (value) {
            case String text -> {
                String mixed = mixedScriptWord(text);
                if (mixed != null) {
                    errors.add(FieldError.at(pointer, "mixes writing systems in '" + (mixed.length() > 64 ? mixed.substring(0, 64) + "…" : mixed)
                            + "', so it may read as another name than it is; send it in one script (for example plain ASCII)"));
                }
                yield foldCase ? text.toLowerCase(Locale.ROOT) : text;
            }
            case Map<?, ?> map -> {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) map);
                copy.replaceAll((key, inner) -> checked(inner, pointer + "/" + key.replace("~", "~0").replace("/", "~1"), foldCase, errors));
                yield copy;
            }
            case List<?> list -> {
                List<Object> copy = new java.util.ArrayList<>(list.size());
                for (int i = 0; i < list.size(); i++) {
                    copy.add(checked(list.get(i), pointer + "/" + i, foldCase, errors));
                }
                yield copy;
            }
            default -> value;
        };
    }

    /** The first word whose letters come from a mixture of scripts no writing system uses, or {@code null}. */
    static String mixedScriptWord(String text) {
        int start = 0;
        while (start < text.length()) {
            int end = start;
            Set<UnicodeScript> scripts = EnumSet.noneOf(UnicodeScript.class);
            while (end < text.length()) {
                int c = text.codePointAt(end);
                int type = Character.getType(c);
                if (!Character.isLetter(c) && type != Character.NON_SPACING_MARK && type != Character.COMBINING_SPACING_MARK) {
                    break;
                }
                UnicodeScript script = UnicodeScript.of(c);
                if (script != UnicodeScript.COMMON && script != UnicodeScript.INHERITED) {
                    scripts.add(script);
                }
                end += Character.charCount(c);
            }
            if (scripts.size() > 1 && ALLOWED_MIXTURES.stream().noneMatch(allowed -> allowed.containsAll(scripts))) {
                return text.substring(start, end);
            }
            start = end == start ? start + Character.charCount(text.codePointAt(start)) : end;
        }
        return null;
    }
}
