package io.tally.analytics.archfixture;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a fixture class that breaks an architecture rule on purpose; the rest of the fixture is clean. */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Planted {
  /** @return which rule the class breaks, for the reader */
  String value();
}
