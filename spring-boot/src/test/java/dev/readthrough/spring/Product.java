package dev.readthrough.spring;

import lombok.Value;

/** A cached value made by Lombok: its constructor and accessors exist only after javac ran it. */
@Value
class Product {
  long id;
  String name;
}
