package dev.redirectguard.it.child.lib;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.namespace.QName;
import javax.xml.transform.Source;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.stream.StreamResult;
import javax.xml.transform.stream.StreamSource;
import javax.xml.ws.BindingProvider;
import javax.xml.ws.Dispatch;
import javax.xml.ws.Service;
import javax.xml.ws.handler.MessageContext;
import javax.xml.ws.soap.SOAPBinding;

/**
 * A SOAP 1.1 call with JAX-WS, the classic client on HttpURLConnection: a {@code Dispatch} in
 * payload mode, the caller's headers in {@code MessageContext.HTTP_REQUEST_HEADERS}. JDK 8: the
 * JAX-WS built into the JDK; 11+: the JAX-WS RI on the class path. Argument: base url. SOAP 1.1
 * is POST only, so the POST calls only.
 */
public final class JaxWsChild {
    private static final String NS = "urn:redirect-guard:it";

    private JaxWsChild() {
    }

    public static void main(String[] args) {
        QName serviceName = new QName(NS, "EchoService");
        final QName portName = new QName(NS, "EchoPort");
        final Service service = Service.create(serviceName);
        service.addPort(portName, SOAPBinding.SOAP11HTTP_BINDING, args[0]);
        String[] calls = {"post307", "post308", "post303"};
        LibCalls.runAll("", args[0], calls, (method, url, body) -> {
            Dispatch<Source> dispatch = service.createDispatch(portName, Source.class, Service.Mode.PAYLOAD);
            Map<String, Object> context = dispatch.getRequestContext();
            context.put(BindingProvider.ENDPOINT_ADDRESS_PROPERTY, url);
            Map<String, List<String>> headers = new HashMap<>();
            headers.put("Authorization", Collections.singletonList(LibCalls.AUTHORIZATION));
            headers.put("Cookie", Collections.singletonList(LibCalls.COOKIE));
            headers.put("X-Custom", Collections.singletonList(LibCalls.CUSTOM));
            context.put(MessageContext.HTTP_REQUEST_HEADERS, headers);
            Source reply = dispatch.invoke(new StreamSource(new StringReader(
                    "<echo xmlns=\"" + NS + "\">" + body + "</echo>")));
            StringWriter text = new StringWriter();
            TransformerFactory.newInstance().newTransformer().transform(reply, new StreamResult(text));
            String xml = text.toString();
            int start = xml.indexOf('>', xml.indexOf("echoResponse")) + 1;
            Object status = dispatch.getResponseContext().get(MessageContext.HTTP_RESPONSE_CODE);
            return status + " " + xml.substring(start, xml.indexOf('<', start));
        });
    }
}
