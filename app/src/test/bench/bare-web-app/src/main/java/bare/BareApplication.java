package bare;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@SpringBootApplication
@RestController
public class BareApplication {
    @GetMapping("/hello")
    String hello() { return "hello"; }

    public static void main(String[] args) { SpringApplication.run(BareApplication.class, args); }
}
