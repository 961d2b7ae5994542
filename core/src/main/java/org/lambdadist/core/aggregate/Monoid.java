package org.lambdadist.core.aggregate;

/**
 * An associative, commutative combination with an identity: {@code plus(zero(), a) == a},
 * {@code plus(a, plus(b, c)) == plus(plus(a, b), c)}, {@code plus(a, b) == plus(b, a)}.
 * These laws are what let the batch, speed and serving layers combine partial aggregates in
 * any grouping and order and still get one answer. {@code plus} never changes its arguments.
 */
public interface Monoid<T> {
  T zero();

  T plus(T left, T right);
}
