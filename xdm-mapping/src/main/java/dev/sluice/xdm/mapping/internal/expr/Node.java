package dev.sluice.xdm.mapping.internal.expr;

import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.mapping.internal.EvalException;
import dev.sluice.xdm.mapping.internal.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A compiled expression node. Immutable; evaluation allocates only what the result needs. */
public abstract class Node {
  /** Evaluates against a source record; absent paths read as {@code null}. */
  public abstract Object eval(DataRecord record);

  /** Whether the node is a constant (its value does not depend on the record). */
  boolean isConstant() {
    return false;
  }

  static final class Literal extends Node {
    final Object value;

    Literal(Object value) {
      this.value = value;
    }

    @Override
    public Object eval(DataRecord record) {
      return value;
    }

    @Override
    boolean isConstant() {
      return true;
    }
  }

  static final class PathRef extends Node {
    final Path.Segment[] segments;

    PathRef(Path path) {
      this.segments = path.segments();
    }

    @Override
    public Object eval(DataRecord record) {
      Object v = Path.read(record, segments, 1);
      return v == Path.ABSENT ? null : v;
    }
  }

  static final class ArrayLit extends Node {
    final Node[] items;

    ArrayLit(Node[] items) {
      this.items = items;
    }

    @Override
    public Object eval(DataRecord record) {
      List<Object> out = new ArrayList<>(items.length);
      for (Node n : items) {
        out.add(n.eval(record));
      }
      return Collections.unmodifiableList(out);
    }
  }

  static final class Call extends Node {
    final Functions.Fn fn;
    final Node[] args;

    Call(Functions.Fn fn, Node[] args) {
      this.fn = fn;
      this.args = args;
    }

    @Override
    public Object eval(DataRecord record) {
      if (fn.lazy) {
        return fn.lazyImpl.apply(args, record);
      }
      Object[] values = new Object[args.length];
      for (int i = 0; i < args.length; i++) {
        values[i] = args[i].eval(record);
      }
      return fn.impl.apply(values, record);
    }
  }

  static final class Conditional extends Node {
    final Node test;
    final Node then;
    final Node otherwise;

    Conditional(Node test, Node then, Node otherwise) {
      this.test = test;
      this.then = then;
      this.otherwise = otherwise;
    }

    @Override
    public Object eval(DataRecord record) {
      return truthy(test.eval(record), "?:") ? then.eval(record) : otherwise.eval(record);
    }
  }

  static boolean truthy(Object v, String op) {
    Boolean b = Values.bool(v, op, "the condition");
    return b != null && b;
  }

  static final class Unary extends Node {
    final String op;
    final Node operand;

    Unary(String op, Node operand) {
      this.op = op;
      this.operand = operand;
    }

    @Override
    public Object eval(DataRecord record) {
      Object v = operand.eval(record);
      if (op.equals("!")) {
        return !truthy(v, "!");
      }
      Number n = Values.num(v, "-", "the operand");
      return n == null ? null : Values.subtract(0L, n);
    }
  }

  static final class Binary extends Node {
    final String op;
    final Node left;
    final Node right;

    Binary(String op, Node left, Node right) {
      this.op = op;
      this.left = left;
      this.right = right;
    }

    @Override
    public Object eval(DataRecord record) {
      switch (op) {
        case "&&":
          return truthy(left.eval(record), op) && truthy(right.eval(record), op);
        case "||":
          return truthy(left.eval(record), op) || truthy(right.eval(record), op);
        default:
          break;
      }
      Object a = left.eval(record);
      Object b = right.eval(record);
      switch (op) {
        case "==":
          return Values.same(a, b);
        case "!=":
          return !Values.same(a, b);
        case "+":
          if (a instanceof String || b instanceof String) {
            return (a == null ? "" : Values.str(a, op, "left")) + (b == null ? "" : Values.str(b, op, "right"));
          }
          if (a == null || b == null) {
            return null;
          }
          return Values.add(Values.num(a, op, "left"), Values.num(b, op, "right"));
        case "-":
        case "*":
        case "/":
        case "%":
          {
            if (a == null || b == null) {
              return null;
            }
            Number x = Values.num(a, op, "left");
            Number y = Values.num(b, op, "right");
            switch (op) {
              case "-":
                return Values.subtract(x, y);
              case "*":
                return Values.multiply(x, y);
              case "/":
                return Values.divide(x, y, op);
              default:
                return Values.mod(x, y);
            }
          }
        default:
          return compare(a, b);
      }
    }

    private Object compare(Object a, Object b) {
      if (a == null || b == null) {
        return false;
      }
      int c;
      if (Values.isNumber(a) && Values.isNumber(b)) {
        c = Values.compare((Number) a, (Number) b);
      } else if (a instanceof String && b instanceof String) {
        c = ((String) a).compareTo((String) b);
      } else if (a instanceof ZonedDateTime && b instanceof ZonedDateTime) {
        c = ((ZonedDateTime) a).toInstant().compareTo(((ZonedDateTime) b).toInstant());
      } else if (Values.isNumber(a) || Values.isNumber(b)) {
        c = Values.compare(Values.num(a, op, "left"), Values.num(b, op, "right"));
      } else {
        throw new EvalException(op + ": cannot compare " + Values.describe(a) + " with " + Values.describe(b));
      }
      switch (op) {
        case "<":
          return c < 0;
        case "<=":
          return c <= 0;
        case ">":
          return c > 0;
        default:
          return c >= 0;
      }
    }
  }
}
